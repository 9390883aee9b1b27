// Site search of mutu: finds pages in the browser, with no server, from any
// folder, including a copy opened from disk (file://).
//
// Written for mutu (no library): the index is built by mutu in Rust
// (src/render/site/recherche.rs) as plain scripts under recherche/, because a
// page opened from disk may add a <script src> but may not fetch() a file.
// Each index script calls window.mutuRecherche.<something>(data):
//   recherche/index.js        index({pages: [[path, title, kind]…], termes: [shard…], pages_par_lot})
//   recherche/termes-<c>.js   termes([c, {term: [page, weight, page, weight…]}])
//   recherche/textes-<n>.js   textes([n, [plain text of each page of lot n]])
// Only what a query needs is loaded: the page list, the shard of each query
// word's first letter, then the texts of the results shown (for excerpts).
//
// Words are folded and stemmed exactly as the Rust side does (keep both in
// step): lower case, accents removed, cut at anything not a letter or digit,
// one-letter words, French function words and numbers under four digits
// dropped, then a final s or x, then a final e, removed when three letters
// stay. The last word of the query also matches as a prefix (results while
// typing).
//
// Accessibility (RGAA): the form is a role="search" landmark with a visible
// label; the number of results is announced through a role="status" region;
// results are ordinary links reached with Tab (Down arrow from the field goes
// to the first one, Escape in the field clears it); kind filters are radio
// buttons in a fieldset. Without JavaScript the form leads to the site map.
(function () {
  'use strict';

  var MOTS_VIDES = ['au', 'aux', 'avec', 'ce', 'ces', 'dans', 'de', 'des', 'du', 'en', 'est', 'et', 'il', 'elle', 'la', 'le', 'les', 'leur', 'leurs', 'ne', 'ou', 'par', 'pas', 'pour',
    'qui', 'que', 'sa', 'se', 'ses', 'son', 'sur', 'un', 'une'];
  var GENRES = { commune: 'Commune', service: 'Service', 'fiche-action': 'Fiche-action', page: 'Page' };
  var FILTRES = [['', 'Tout'], ['commune', 'Communes'], ['service', 'Services'], ['fiche-action', 'Fiches-actions'], ['page', 'Pages']];
  var RESULTATS_MAX = 20;
  var EXTRAIT = 160; // characters around the first marked word

  var form = document.querySelector('form[data-recherche]');
  if (!form) return;
  var champ = form.querySelector('input[type="search"]');
  var racine = form.getAttribute('data-racine') || '';
  var zone = document.getElementById('recherche-resultats');
  var statut = document.getElementById('recherche-statut');

  // ------------------------------------------------------------ loading

  var index = null;         // {pages, termes, pages_par_lot}
  var termes = {};          // shard -> {term: postings}
  var textes = {};          // lot -> [texts]
  var attentes = {};        // script src -> [callbacks]

  // Loads a script of the index once; calls `fini` when its data arrived
  // (or when it failed: a missing shard simply means no term).
  function charge(nom, pret, fini) {
    if (pret()) { fini(); return; }
    var src = racine + 'recherche/' + nom + '.js';
    if (attentes[src]) { attentes[src].push(fini); return; }
    attentes[src] = [fini];
    var s = document.createElement('script');
    s.src = src;
    s.onload = s.onerror = function () {
      var cbs = attentes[src];
      attentes[src] = null;
      cbs.forEach(function (f) { f(); });
    };
    document.head.appendChild(s);
  }

  window.mutuRecherche = {
    index: function (d) { index = d; },
    termes: function (d) { termes[d[0]] = d[1]; },
    textes: function (d) { textes[d[0]] = d[1]; },
  };

  // ------------------------------------------------------------ words

  function replie(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/œ/g, 'oe').replace(/æ/g, 'ae').replace(/ß/g, 'ss');
  }

  function racineMot(m) {
    if (m.length > 3 && /[sx]$/.test(m)) m = m.slice(0, -1);
    if (m.length > 3 && /e$/.test(m)) m = m.slice(0, -1);
    return m;
  }

  function garde(m) {
    if (m.length < 2 || MOTS_VIDES.indexOf(m) >= 0) return false;
    return !(/^[0-9]+$/.test(m) && m.length < 4);
  }

  // Words of a text with their positions in it: [{debut, fin, racine}].
  var MOT = /[\p{L}\p{M}\p{N}]+/gu;
  function mots(texte) {
    var out = [];
    var m;
    MOT.lastIndex = 0;
    while ((m = MOT.exec(texte))) {
      var f = replie(m[0]);
      // A folded word may hold a separator (rare letters): split it as Rust does.
      f.split(/[^\p{L}\p{N}]+/u).forEach(function (p) {
        if (garde(p)) out.push({ debut: m.index, fin: m.index + m[0].length, racine: racineMot(p) });
      });
    }
    return out;
  }

  function lotDe(terme) {
    return /^[a-z0-9]/.test(terme) ? terme[0] : 'autres';
  }

  // ------------------------------------------------------------ search

  // Query words: [{racine, prefixe}] (the last word matches as a prefix
  // while the person is still typing it, i.e. no space after it).
  function requete(q) {
    var ms = mots(q).map(function (m) { return { racine: m.racine, prefixe: false }; });
    if (ms.length && /[\p{L}\p{N}]$/u.test(q)) {
      var dernier = replie(q).split(/[^\p{L}\p{N}]+/u).pop();
      if (garde(dernier)) ms[ms.length - 1] = { racine: dernier, prefixe: true };
    }
    return ms;
  }

  // Pages matching every query word, best first: [{page, score}].
  function cherche(ms) {
    var scores = null;
    ms.forEach(function (m) {
      var lot = termes[lotDe(m.racine)] || {};
      var ici = {};
      Object.keys(lot).forEach(function (t) {
        var exact = t === m.racine || t === racineMot(m.racine);
        if (!exact && !(m.prefixe && t.indexOf(m.racine) === 0)) return;
        var p = lot[t];
        for (var i = 0; i < p.length; i += 2) {
          // An exact word weighs more than a word it only begins.
          var w = exact ? p[i + 1] * 2 : p[i + 1];
          ici[p[i]] = Math.max(ici[p[i]] || 0, w);
        }
      });
      if (scores === null) {
        scores = ici;
      } else {
        var suite = {};
        Object.keys(scores).forEach(function (k) { if (ici[k]) suite[k] = scores[k] + ici[k]; });
        scores = suite;
      }
    });
    return Object.keys(scores || {})
      .map(function (k) { return { page: +k, score: scores[k] }; })
      .sort(function (a, b) { return b.score - a.score || a.page - b.page; });
  }

  // The excerpt of `texte` around its first word matching `ms` (at most
  // `longueur` characters), appended to `parent` as text nodes with the
  // matching words in <mark>.
  function extrait(texte, ms, parent, longueur) {
    var ws = mots(texte);
    var touche = ws.filter(function (w) {
      return ms.some(function (m) { return w.racine === m.racine || w.racine === racineMot(m.racine) || (m.prefixe && w.racine.indexOf(m.racine) === 0); });
    });
    var debut = touche.length && texte.length > longueur ? Math.max(0, touche[0].debut - 40) : 0;
    var fin = Math.min(texte.length, debut + longueur);
    // Start and end at word boundaries.
    if (debut > 0) { var sp = texte.indexOf(' ', debut); if (sp >= 0 && sp < touche[0].debut) debut = sp + 1; }
    if (fin < texte.length) { var sp2 = texte.lastIndexOf(' ', fin); if (sp2 > debut) fin = sp2; }
    var pos = debut;
    if (debut > 0) parent.appendChild(document.createTextNode('… '));
    touche.forEach(function (w) {
      if (w.debut < pos || w.fin > fin) return;
      parent.appendChild(document.createTextNode(texte.slice(pos, w.debut).replace(/\s+/g, ' ')));
      var mark = document.createElement('mark');
      mark.textContent = texte.slice(w.debut, w.fin);
      parent.appendChild(mark);
      pos = w.fin;
    });
    parent.appendChild(document.createTextNode(texte.slice(pos, fin).replace(/\s+/g, ' ') + (fin < texte.length ? ' …' : '')));
  }

  // ------------------------------------------------------------ display

  var filtre = '';
  var dernier = null; // last results, for the filters: {q, ms, trouves}
  var numero = 0;     // query counter: a late answer to an old query is dropped

  function annonce(texte) {
    statut.textContent = texte;
  }

  function affiche() {
    var d = dernier;
    zone.textContent = '';
    if (!d) { zone.hidden = true; annonce(''); return; }
    zone.hidden = false;
    var trouves = d.trouves.filter(function (r) { return !filtre || index.pages[r.page][2] === filtre; });
    var n = trouves.length;
    var total = d.trouves.length;
    annonce(n === 0
      ? 'Aucun résultat pour « ' + d.q + ' »' + (filtre ? ' parmi les ' + libelleFiltre(filtre).toLowerCase() : '') + '.'
      : n + (n > 1 ? ' résultats' : ' résultat') + ' pour « ' + d.q + ' »' + (filtre ? ' parmi les ' + libelleFiltre(filtre).toLowerCase() : '') +
        (n > RESULTATS_MAX ? ' (les ' + RESULTATS_MAX + ' premiers sont affichés)' : '') + '.');
    if (total > 0) zone.appendChild(filtres(d.trouves));
    var ol = document.createElement('ol');
    ol.className = 'recherche-liste';
    var montres = trouves.slice(0, RESULTATS_MAX);
    montres.forEach(function (r) {
      var p = index.pages[r.page];
      var li = document.createElement('li');
      var a = document.createElement('a');
      a.href = racine + p[0] + '.html';
      extrait(p[1], d.ms, a, p[1].length);
      var genre = document.createElement('span');
      genre.className = 'recherche-genre';
      genre.textContent = GENRES[p[2]] || p[2];
      var ex = document.createElement('p');
      ex.className = 'recherche-extrait';
      li.appendChild(a);
      li.appendChild(document.createTextNode(' '));
      li.appendChild(genre);
      li.appendChild(ex);
      ol.appendChild(li);
      var lot = Math.floor(r.page / index.pages_par_lot);
      var rang = r.page % index.pages_par_lot;
      var num = numero;
      charge('textes-' + lot, function () { return !!textes[lot]; }, function () {
        if (num !== numero || !textes[lot]) return;
        extrait(textes[lot][rang] || '', d.ms, ex, EXTRAIT);
      });
    });
    if (montres.length) zone.appendChild(ol);
  }

  function libelleFiltre(g) {
    for (var i = 0; i < FILTRES.length; i++) if (FILTRES[i][0] === g) return FILTRES[i][1];
    return g;
  }

  // Radio buttons « Tout, Communes, Services… » with their counts.
  function filtres(trouves) {
    var fs = document.createElement('fieldset');
    fs.className = 'recherche-filtres';
    var lg = document.createElement('legend');
    lg.textContent = 'Type de page';
    fs.appendChild(lg);
    FILTRES.forEach(function (f) {
      var n = trouves.filter(function (r) { return !f[0] || index.pages[r.page][2] === f[0]; }).length;
      if (f[0] && n === 0 && filtre !== f[0]) return;
      var label = document.createElement('label');
      var input = document.createElement('input');
      input.type = 'radio';
      input.name = 'recherche-genre';
      input.value = f[0];
      input.checked = filtre === f[0];
      input.addEventListener('change', function () {
        filtre = input.value;
        affiche();
        var coche = zone.querySelector('input[name="recherche-genre"]:checked');
        if (coche) coche.focus();
      });
      label.appendChild(input);
      label.appendChild(document.createTextNode(' ' + f[1] + ' (' + n + ')'));
      fs.appendChild(label);
    });
    return fs;
  }

  function lance() {
    var q = champ.value.trim();
    var num = ++numero;
    if (!q) { dernier = null; affiche(); return; }
    var ms = requete(q);
    if (!ms.length) { dernier = { q: q, ms: ms, trouves: [] }; affiche(); return; }
    charge('index', function () { return !!index; }, function () {
      if (num !== numero) return;
      if (!index) { annonce('La recherche est indisponible : index introuvable.'); return; }
      var lots = [];
      ms.forEach(function (m) { var l = lotDe(m.racine); if (lots.indexOf(l) < 0) lots.push(l); });
      var restants = lots.length;
      lots.forEach(function (l) {
        charge('termes-' + l, function () { return !!termes[l] || index.termes.indexOf(l) < 0; }, function () {
          if (--restants > 0 || num !== numero) return;
          dernier = { q: q, ms: ms, trouves: cherche(ms) };
          affiche();
        });
      });
    });
  }

  var minuterie = null;
  champ.addEventListener('input', function () {
    clearTimeout(minuterie);
    minuterie = setTimeout(lance, 150);
  });
  form.addEventListener('submit', function (e) {
    e.preventDefault();
    clearTimeout(minuterie);
    lance();
  });
  champ.addEventListener('keydown', function (e) {
    if (e.key === 'Escape') {
      champ.value = '';
      lance();
    } else if (e.key === 'ArrowDown') {
      var premier = zone.querySelector('.recherche-liste a');
      if (premier) { e.preventDefault(); premier.focus(); }
    }
  });

  // The site map receives the query of a browser without JavaScript; with
  // JavaScript, a search started elsewhere by ?q= is run here too.
  var q = new URLSearchParams(window.location.search).get('q');
  if (q) {
    champ.value = q;
    lance();
  }
})();
