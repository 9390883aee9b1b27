#!/usr/bin/env node
// Checks a static site built by mutu:
//   - every .html page is opened in Debian's Chromium (playwright-core) from a local HTTP server;
//   - axe-core (WCAG 2.0/2.1 A and AA rules) must report no violation;
//   - the page must request nothing outside the local server (data: URLs are fine);
//   - no console error, no uncaught exception, no failed or >= 400 local request;
//   - local links (<a href>) must point to existing files;
//   - one page (two if the site has sub-folders) opened through file:// must load its
//     stylesheets and its first image (the site must be relocatable);
//   - vnu (the Nu HTML checker) must report no error on the HTML pages nor on the CSS files;
//   - every PDF of the site must be readable by pdfinfo;
//   - the site search (when the site has recherche/index.js), from file:// on a page in a
//     sub-folder: a commune's name finds its page, the keyboard reaches and opens a result, and
//     each `--recherche MOT=PAGE` finds PAGE, each `--sans-resultat MOT` finds nothing.
// Usage: node scripts/check-site.mjs [--recherche-seulement] [--recherche MOT=PAGE]… [--sans-resultat MOT]… <site-dir>
//   --recherche-seulement: only the search checks (for a second build of the same site).
// Exit code: 0 when everything passes, 1 otherwise (including usage errors).

import { spawn } from 'node:child_process';
import { createReadStream, promises as fs } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODULES = path.join(HERE, 'node_modules');
const AXE_PATH = path.join(MODULES, 'axe-core', 'axe.min.js');
const AXE_LOCALE_PATH = path.join(MODULES, 'axe-core', 'locales', 'fr.json');
const VNU_JAR = path.join(MODULES, 'vnu-jar', 'build', 'dist', 'vnu.jar');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const AXE_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const PAGE_TIMEOUT_MS = 30000;

const CONTENT_TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.htm': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.xml': 'application/xml; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
  '.zip': 'application/zip',
  '.ods': 'application/vnd.oasis.opendocument.spreadsheet',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  '.webmanifest': 'application/manifest+json',
};

function plural(n, one, many) {
  return `${n} ${n <= 1 ? one : many}`;
}

function fail(message) {
  console.error(`check-site : ${message}`);
  process.exit(1);
}

// All files under `root`, as sorted POSIX relative paths.
async function listFiles(root) {
  const out = [];
  async function walk(dir) {
    const entries = await fs.readdir(dir, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        await walk(full);
      } else if (entry.isFile() || entry.isSymbolicLink()) {
        out.push(path.relative(root, full).split(path.sep).join('/'));
      }
    }
  }
  await walk(root);
  return out.sort();
}

function encodePath(rel) {
  return rel.split('/').map(encodeURIComponent).join('/');
}

// Maps a URL pathname to a file of the site (null when outside the site or missing).
async function resolveLocal(root, pathname) {
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  const full = path.resolve(root, '.' + path.posix.normalize('/' + decoded));
  if (full !== root && !full.startsWith(root + path.sep)) return null;
  try {
    const stat = await fs.stat(full);
    if (stat.isDirectory()) {
      const index = path.join(full, 'index.html');
      const st = await fs.stat(index).catch(() => null);
      return st && st.isFile() ? index : null;
    }
    return stat.isFile() ? full : null;
  } catch {
    return null;
  }
}

function startServer(root) {
  const server = http.createServer(async (req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    const file = req.method === 'GET' || req.method === 'HEAD' ? await resolveLocal(root, url.pathname) : null;
    if (!file) {
      res.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('introuvable');
      return;
    }
    const type = CONTENT_TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
    res.writeHead(200, { 'Content-Type': type, 'Cache-Control': 'no-store' });
    if (req.method === 'HEAD') {
      res.end();
      return;
    }
    createReadStream(file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

// Runs a command, returns { code, stdout, stderr }.
function run(cmd, args) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('error', (err) => resolve({ code: -1, stdout, stderr: String(err) }));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

// vnu over `files` (absolute paths); `mode` is [] for HTML or ['--css'] for CSS.
// Returns a list of { file, line, column, message, extract } errors.
async function runVnu(root, files, mode) {
  if (files.length === 0) return [];
  const args = ['-jar', VNU_JAR, '--errors-only', '--format', 'json', ...mode];
  if (mode.length === 0) args.push('--skip-non-html');
  const { code, stdout, stderr } = await run('java', [...args, ...files]);
  let report;
  try {
    report = JSON.parse(stderr || stdout);
  } catch {
    return [{ file: '(vnu)', line: 0, column: 0, message: `vnu n'a pas pu être exécuté (code ${code}) : ${(stderr || stdout).trim().slice(0, 2000)}` }];
  }
  const errors = [];
  for (const m of report.messages || []) {
    if (m.type !== 'error' && m.type !== 'non-document-error') continue;
    let file = m.url || '';
    try {
      file = path.relative(root, fileURLToPath(file.replace(/^file:(?!\/\/)/, 'file://'))).split(path.sep).join('/');
    } catch {
      /* keep the URL as is */
    }
    errors.push({ file, line: m.lastLine || m.firstLine || 0, column: m.firstColumn || m.lastColumn || 0, message: m.message, extract: m.extract });
  }
  if (errors.length === 0 && code !== 0) {
    errors.push({ file: '(vnu)', line: 0, column: 0, message: `vnu a terminé avec le code ${code} sans message d'erreur` });
  }
  return errors;
}

// Every PDF of the site must be readable by pdfinfo (poppler). Returns error lines.
async function checkPdfs(root, pdfFiles) {
  const errors = [];
  for (const rel of pdfFiles) {
    const { code, stderr } = await run('pdfinfo', [path.join(root, rel)]);
    if (code === -1) return [`pdfinfo introuvable (apt-get install poppler-utils) : ${pdfFiles.length} PDF non vérifiés`];
    if (code !== 0) errors.push(`${rel} : ${stderr.trim().split('\n')[0] || `pdfinfo a terminé avec le code ${code}`}`);
  }
  return errors;
}

function isAllowedUrl(url, origin) {
  if (url.startsWith('data:') || url.startsWith('blob:') || url === 'about:blank') return true;
  try {
    return new URL(url).origin === origin;
  } catch {
    return false;
  }
}

// Local <a href> targets (same origin as the page) that do not exist in the site.
async function brokenLinks(root, origin, pageUrl, hrefs) {
  const broken = [];
  for (const href of hrefs) {
    let target;
    try {
      target = new URL(href, pageUrl);
    } catch {
      broken.push(href);
      continue;
    }
    if (target.origin !== origin) continue;
    if (!(await resolveLocal(root, target.pathname))) broken.push(href);
  }
  return broken;
}

async function checkPageHttp(context, root, origin, rel, axeSource, axeLocale) {
  const pageUrl = `${origin}/${encodePath(rel)}`;
  const result = { rel, external: [], loadErrors: [], violations: [], incomplete: [], brokenLinks: [] };
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  const externalUrls = new Set();
  page.on('request', (req) => {
    const url = req.url();
    if (!isAllowedUrl(url, origin) && !externalUrls.has(url)) {
      externalUrls.add(url);
      result.external.push(url);
    }
  });
  page.on('websocket', (ws) => {
    result.external.push(ws.url());
  });
  const badResponses = new Set();
  page.on('requestfailed', (req) => {
    if (externalUrls.has(req.url()) || badResponses.has(req.url())) return;
    result.loadErrors.push(`échec du chargement de ${req.url()} (${req.failure()?.errorText || 'erreur inconnue'})`);
  });
  page.on('response', (resp) => {
    if (resp.status() >= 400 && !externalUrls.has(resp.url())) {
      badResponses.add(resp.url());
      result.loadErrors.push(`${resp.url()} a répondu ${resp.status()}`);
    }
  });
  page.on('console', (msg) => {
    if (msg.type() !== 'error') return;
    const loc = msg.location()?.url || '';
    if (externalUrls.has(loc)) return;
    // "Failed to load resource" messages duplicate the response/requestfailed events above.
    if (/^Failed to load resource/.test(msg.text())) return;
    result.loadErrors.push(`erreur de console : ${msg.text()}${loc ? ` (${loc})` : ''}`);
  });
  page.on('pageerror', (err) => {
    result.loadErrors.push(`exception JavaScript : ${err.message}`);
  });

  try {
    const response = await page.goto(pageUrl, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    if (!response || response.status() !== 200) {
      result.loadErrors.push(`la page a répondu ${response ? response.status() : 'sans réponse'}`);
    }
    await page.evaluate(axeSource);
    const axeResults = await page.evaluate(
      async ({ tags, locale }) => {
        window.axe.configure({ locale });
        const r = await window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations', 'incomplete'] });
        const simplify = (list) =>
          list.map((v) => ({ id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl, nodes: v.nodes.map((n) => ({ target: n.target.join(' '), summary: n.failureSummary || '' })) }));
        return { violations: simplify(r.violations), incomplete: simplify(r.incomplete) };
      },
      { tags: AXE_TAGS, locale: axeLocale },
    );
    result.violations = axeResults.violations;
    result.incomplete = axeResults.incomplete;
    const hrefs = await page.$$eval('a[href]', (as) => as.map((a) => a.getAttribute('href')));
    result.brokenLinks = await brokenLinks(root, origin, pageUrl, hrefs);
  } catch (err) {
    result.loadErrors.push(`impossible de vérifier la page : ${err.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
  return result;
}

// Opens a page through file:// and checks that its stylesheets and first image load.
async function checkPageFile(context, root, rel) {
  const fileUrl = pathToFileURL(path.join(root, rel)).href;
  const problems = [];
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('blob:')) problems.push(`requête hors du dossier : ${url}`);
  });
  page.on('requestfailed', (req) => {
    const url = req.url();
    if (!url.startsWith('file:') && !url.startsWith('data:') && !url.startsWith('blob:')) return; // already reported above
    problems.push(`échec du chargement de ${req.url()} (${req.failure()?.errorText || 'erreur inconnue'})`);
  });
  try {
    await page.goto(fileUrl, { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    const state = await page.evaluate(async () => {
      const sheets = [...document.querySelectorAll('link[rel~="stylesheet"]')].map((l) => ({ href: l.getAttribute('href'), loaded: l.sheet !== null }));
      const img = document.querySelector('img[src], object[data], embed[src]');
      let image = null;
      if (img && img.tagName === 'IMG') {
        // decode() rejects for a broken image and resolves for an SVG without intrinsic size.
        const loaded = await img.decode().then(
          () => true,
          () => false,
        );
        image = { src: img.getAttribute('src'), loaded };
      } else if (img) {
        const src = img.getAttribute('data') || img.getAttribute('src');
        let loaded = false;
        try {
          loaded = !!(img.getSVGDocument && img.getSVGDocument()) || !!img.contentDocument;
        } catch {
          loaded = true; // cross-origin (file://) documents are not readable but did load
        }
        image = { src, loaded };
      }
      return { sheets, image };
    });
    if (state.sheets.length === 0) problems.push('aucune feuille de style (link rel="stylesheet")');
    for (const s of state.sheets) if (!s.loaded) problems.push(`feuille de style non chargée : ${s.href}`);
    if (state.image && !state.image.loaded) problems.push(`image non chargée : ${state.image.src}`);
    return { rel, problems, sheets: state.sheets.length, image: state.image ? state.image.src : null };
  } catch (err) {
    problems.push(`impossible d'ouvrir la page : ${err.message.split('\n')[0]}`);
    return { rel, problems, sheets: 0, image: null };
  } finally {
    await page.close();
  }
}

// Types `mot` in the search field of an open page; returns the result paths (relative to the
// site root, without .html) and the status text once the answer is shown.
async function cherche(page, mot) {
  await page.fill('#recherche-champ', '');
  await page.type('#recherche-champ', mot);
  await page.waitForFunction((q) => (document.getElementById('recherche-statut')?.textContent || '').includes(`« ${q} »`), mot, { timeout: 10000 });
  return page.evaluate(() => {
    const racine = document.querySelector('form[data-recherche]').getAttribute('data-racine');
    const liens = [...document.querySelectorAll('#recherche-resultats .recherche-liste a')].map((a) => a.getAttribute('href').slice(racine.length).replace(/\.html$/, ''));
    return { liens, statut: document.getElementById('recherche-statut').textContent };
  });
}

// The search checks, from file:// (the case that defeats fetch()-based search engines).
async function checkSearch(context, root, files, attendus, absents) {
  const problems = [];
  if (!files.includes('recherche/index.js')) return problems;
  const indexSource = await fs.readFile(path.join(root, 'recherche', 'index.js'), 'utf8');
  const index = JSON.parse(indexSource.slice(indexSource.indexOf('(') + 1, indexSource.lastIndexOf(')')));
  const depart = files.find((f) => f.includes('/') && f.endsWith('.html') && !f.startsWith('extraits/')) || 'index.html';
  const page = await context.newPage();
  page.setDefaultTimeout(PAGE_TIMEOUT_MS);
  page.on('request', (req) => {
    const url = req.url();
    if (!url.startsWith('file:') && !url.startsWith('data:')) problems.push(`requête hors du dossier : ${url}`);
  });
  page.on('pageerror', (err) => problems.push(`exception JavaScript : ${err.message}`));
  try {
    await page.goto(pathToFileURL(path.join(root, depart)).href, { waitUntil: 'load' });
    // A commune's name finds its page (first commune of the index).
    const commune = index.pages.find((p) => p[2] === 'commune');
    if (commune) {
      const r = await cherche(page, commune[1]);
      if (!r.liens.includes(commune[0])) problems.push(`« ${commune[1]} » ne trouve pas ${commune[0]} (trouvé : ${r.liens.slice(0, 5).join(', ') || 'rien'})`);
    }
    for (const [mot, cible] of attendus) {
      const r = await cherche(page, mot);
      if (!r.liens.includes(cible)) problems.push(`« ${mot} » ne trouve pas ${cible} (trouvé : ${r.liens.slice(0, 5).join(', ') || 'rien'})`);
      else if (!(await page.$('#recherche-resultats mark'))) problems.push(`« ${mot} » : aucun terme marqué dans les extraits`);
    }
    for (const mot of absents) {
      const r = await cherche(page, mot);
      if (r.liens.length > 0) problems.push(`« ${mot} » trouve ${r.liens.join(', ')} : attendu aucun résultat`);
    }
    // Keyboard: Down arrow from the field reaches the first result, Enter opens it.
    const premier = attendus.length ? attendus[0][0] : commune ? commune[1] : null;
    if (premier) {
      const r = await cherche(page, premier);
      await page.focus('#recherche-champ');
      await page.keyboard.press('ArrowDown');
      const focus = await page.evaluate(() => document.activeElement?.closest('#recherche-resultats') ? document.activeElement.getAttribute('href') : null);
      if (!focus) problems.push('la flèche bas depuis le champ n’atteint pas le premier résultat');
      else {
        await Promise.all([page.waitForNavigation({ waitUntil: 'load' }), page.keyboard.press('Enter')]);
        if (!page.url().endsWith(`/${r.liens[0]}.html`)) problems.push(`Entrée sur le premier résultat ouvre ${page.url()} au lieu de ${r.liens[0]}.html`);
      }
    }
  } catch (err) {
    problems.push(`recherche impossible à vérifier : ${err.message.split('\n')[0]}`);
  } finally {
    await page.close();
  }
  return problems;
}

function parseArgs(argv) {
  const opts = { root: null, seulement: false, attendus: [], absents: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--recherche-seulement') opts.seulement = true;
    else if (a === '--recherche' && argv[i + 1]?.includes('=')) {
      const v = argv[++i];
      opts.attendus.push([v.slice(0, v.indexOf('=')), v.slice(v.indexOf('=') + 1)]);
    } else if (a === '--sans-resultat' && argv[i + 1]) opts.absents.push(argv[++i]);
    else if (!a.startsWith('--') && opts.root === null) opts.root = a;
    else return null;
  }
  return opts.root === null ? null : opts;
}

async function searchOnly(root, opts) {
  const files = await listFiles(root);
  if (!files.includes('recherche/index.js')) fail(`pas d'index de recherche (recherche/index.js) dans « ${opts.root} »`);
  const { chromium } = await import('playwright-core');
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mutu-chromium-'));
  let context;
  let problems;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS, serviceWorkers: 'block', locale: 'fr-FR' });
    await context.route((url) => url.protocol !== 'file:' && url.protocol !== 'data:', (route) => route.abort('blockedbyclient'));
    problems = await checkSearch(context, root, files, opts.attendus, opts.absents);
  } finally {
    if (context) await context.close();
    await fs.rm(userDataDir, { recursive: true, force: true });
  }
  for (const p of problems) console.log(`  [recherche] ${p}`);
  console.log(problems.length ? 'ÉCHEC de la vérification de la recherche' : 'Recherche conforme (file://)');
  process.exit(problems.length ? 1 : 0);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  if (!opts) fail('usage : node scripts/check-site.mjs [--recherche-seulement] [--recherche MOT=PAGE]… [--sans-resultat MOT]… <dossier-du-site>');
  const arg = opts.root;
  const root = path.resolve(arg);
  const stat = await fs.stat(root).catch(() => null);
  if (!stat || !stat.isDirectory()) fail(`le dossier « ${arg} » n'existe pas`);
  for (const [what, p] of [
    ['axe-core', AXE_PATH],
    ['vnu-jar', VNU_JAR],
    ['playwright-core', path.join(MODULES, 'playwright-core')],
  ]) {
    if (!(await fs.stat(p).catch(() => null))) fail(`${what} manque (${p}) : lancer « npm ci --prefix scripts »`);
  }
  if (!(await fs.stat(CHROMIUM).catch(() => null))) fail(`Chromium introuvable (${CHROMIUM}) : apt-get install chromium`);
  if (opts.seulement) return searchOnly(root, opts);

  const files = await listFiles(root);
  const pages = files.filter((f) => f.toLowerCase().endsWith('.html'));
  const cssFiles = files.filter((f) => f.toLowerCase().endsWith('.css'));
  const pdfFiles = files.filter((f) => f.toLowerCase().endsWith('.pdf'));
  if (pages.length === 0) fail(`aucune page .html dans « ${arg} »`);

  const started = Date.now();
  // vnu runs while the browser checks go on; its HTML and CSS passes run one after the other.
  const vnuPromise = (async () => {
    const html = await runVnu(
      root,
      pages.map((p) => path.join(root, p)),
      [],
    );
    const css = await runVnu(
      root,
      cssFiles.map((p) => path.join(root, p)),
      ['--css'],
    );
    return { html, css };
  })();
  const pdfPromise = checkPdfs(root, pdfFiles);

  const { chromium } = await import('playwright-core');
  const axeSource = await fs.readFile(AXE_PATH, 'utf8');
  const axeLocale = JSON.parse(await fs.readFile(AXE_LOCALE_PATH, 'utf8'));
  const server = await startServer(root);
  const origin = `http://127.0.0.1:${server.address().port}`;
  const userDataDir = await fs.mkdtemp(path.join(os.tmpdir(), 'mutu-chromium-'));
  let context;
  const results = [];
  const fileResults = [];
  let browserMs = 0;
  let searchProblems = [];
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM,
      headless: true,
      args: CHROMIUM_ARGS,
      serviceWorkers: 'block',
      locale: 'fr-FR',
    });
    // Nothing may leave the machine: requests to any other host are recorded (see the 'request'
    // listeners) and aborted before Chromium sends them (no DNS look-up, no connection).
    await context.route(
      (url) => !isAllowedUrl(url.href, origin) && url.protocol !== 'file:',
      (route) => route.abort('blockedbyclient'),
    );
    const t0 = Date.now();
    for (const rel of pages) results.push(await checkPageHttp(context, root, origin, rel, axeSource, axeLocale));
    browserMs = Date.now() - t0;
    const filePages = [];
    const rootIndex = pages.includes('index.html') ? 'index.html' : pages[0];
    filePages.push(rootIndex);
    const nested = pages.find((p) => p.includes('/'));
    if (nested) filePages.push(nested);
    for (const rel of filePages) fileResults.push(await checkPageFile(context, root, rel));
    searchProblems = await checkSearch(context, root, files, opts.attendus, opts.absents);
  } finally {
    if (context) await context.close();
    server.close();
    await fs.rm(userDataDir, { recursive: true, force: true });
  }
  const vnu = await vnuPromise;
  const pdfErrors = await pdfPromise;
  const totalMs = Date.now() - started;

  // Report.
  let violations = 0;
  let external = 0;
  let loadErrors = 0;
  let broken = 0;
  const incompleteById = new Map();
  for (const r of results) {
    const nodes = r.violations.reduce((n, v) => n + v.nodes.length, 0);
    violations += nodes;
    external += r.external.length;
    loadErrors += r.loadErrors.length;
    broken += r.brokenLinks.length;
    for (const v of r.incomplete) {
      const e = incompleteById.get(v.id) || { help: v.help, count: 0, pages: new Set() };
      e.count += v.nodes.length;
      e.pages.add(r.rel);
      incompleteById.set(v.id, e);
    }
    if (nodes + r.external.length + r.loadErrors.length + r.brokenLinks.length === 0) continue;
    console.log(`\n✗ ${r.rel}`);
    for (const v of r.violations) {
      console.log(`  [axe ${v.id}, ${v.impact}] ${v.help} — ${v.helpUrl}`);
      for (const n of v.nodes) {
        console.log(`      ${n.target}`);
        for (const line of n.summary.split('\n').filter(Boolean)) console.log(`        ${line.trim()}`);
      }
    }
    for (const u of r.external) console.log(`  [requête externe] ${u}`);
    for (const e of r.loadErrors) console.log(`  [chargement] ${e}`);
    for (const h of r.brokenLinks) console.log(`  [lien cassé] ${h}`);
  }
  let fileProblems = 0;
  for (const f of fileResults) {
    fileProblems += f.problems.length;
    if (f.problems.length === 0) continue;
    console.log(`\n✗ ${f.rel} ouverte en file:// (site déplaçable)`);
    for (const p of f.problems) console.log(`  ${p}`);
  }
  const printVnu = (title, errors) => {
    if (errors.length === 0) return;
    console.log(`\n✗ ${title}`);
    for (const e of errors) {
      console.log(`  ${e.file}:${e.line}:${e.column} ${e.message}`);
      if (e.extract) console.log(`      ${e.extract.replace(/\s+/g, ' ').trim()}`);
    }
  };
  printVnu('Validation HTML (vnu)', vnu.html);
  printVnu('Validation CSS (vnu)', vnu.css);
  if (searchProblems.length > 0) {
    console.log('\n✗ Recherche du site (file://)');
    for (const p of searchProblems) console.log(`  ${p}`);
  }
  if (pdfErrors.length > 0) {
    console.log('\n✗ PDF illisibles (pdfinfo)');
    for (const e of pdfErrors) console.log(`  ${e}`);
  }

  if (incompleteById.size > 0) {
    console.log('\nÀ vérifier à la main (axe ne peut pas conclure ; ne fait pas échouer) :');
    for (const [id, e] of [...incompleteById.entries()].sort((a, b) => a[0].localeCompare(b[0]))) {
      console.log(`  ${id} : ${e.help} — ${plural(e.count, 'élément', 'éléments')} sur ${plural(e.pages.size, 'page', 'pages')}`);
    }
  }

  const perPage = (browserMs / pages.length / 1000).toFixed(2).replace('.', ',');
  const fileChecked = fileResults.map((f) => f.rel).join(', ');
  console.log(
    `\n${plural(pages.length, 'page vérifiée', 'pages vérifiées')}, ${plural(violations, 'violation axe', 'violations axe')}, ` +
      `${plural(vnu.html.length, 'erreur HTML', 'erreurs HTML')}, ${plural(external, 'requête externe', 'requêtes externes')}, ` +
      `${plural(vnu.css.length, 'erreur CSS', 'erreurs CSS')} (${plural(cssFiles.length, 'feuille', 'feuilles')}), ` +
      `${plural(loadErrors, 'erreur de chargement', 'erreurs de chargement')}, ${plural(broken, 'lien interne cassé', 'liens internes cassés')}, ` +
      `${plural(fileProblems, 'problème', 'problèmes')} en file:// (${fileChecked}), ` +
      `${plural(pdfErrors.length, 'PDF illisible', 'PDF illisibles')} sur ${pdfFiles.length}, ` +
      `${plural(searchProblems.length, 'problème', 'problèmes')} de recherche`,
  );
  console.log(`Durée : ${(totalMs / 1000).toFixed(1).replace('.', ',')} s (navigateur : ${perPage} s par page)`);
  const failed = violations + vnu.html.length + vnu.css.length + external + loadErrors + broken + fileProblems + pdfErrors.length + searchProblems.length > 0;
  console.log(failed ? 'ÉCHEC de la vérification du site' : 'Site conforme aux vérifications automatiques');
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(`check-site : erreur inattendue : ${err.stack || err}`);
  process.exit(1);
});
