// Regenerates the official geographic referential embedded in mutu
// (crates/check/src/cog/communes.tsv, epci.tsv, SOURCE.md) from the npm package
// @etalab/decoupage-administratif (data: Licence Ouverte / Etalab).
//
// Usage (from the repository root):
//   mkdir -p /tmp/cog && cd /tmp/cog && npm init -y >/dev/null && npm install @etalab/decoupage-administratif
//   cd - && node scripts/cog-update.mjs /tmp/cog/node_modules/@etalab/decoupage-administratif
//
// Output is deterministic: same package version => byte-identical files.
// Only the package's publication date is asked to the npm registry (`npm view`);
// offline, SOURCE.md says so instead.

import { readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { execFileSync } from "node:child_process";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";

const PKG = "@etalab/decoupage-administratif";
const pkgDir = process.argv[2];
if (!pkgDir) {
  console.error("usage: node scripts/cog-update.mjs <path to node_modules/@etalab/decoupage-administratif>");
  process.exit(2);
}
const repoRoot = join(dirname(fileURLToPath(import.meta.url)), "..");
const outDir = join(repoRoot, "crates", "check", "src", "cog");

const readJson = (p) => JSON.parse(readFileSync(join(pkgDir, p), "utf8"));
const pkg = readJson("package.json");
if (pkg.name !== PKG) {
  console.error(`${pkgDir} holds ${pkg.name}, not ${PKG}`);
  process.exit(2);
}

// Byte-order comparison (codes and SIRENs are ASCII), independent of locale.
const cmp = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
const clean = (s, what) => {
  const t = String(s).trim();
  if (t === "" || /[\t\r\n]/.test(t)) throw new Error(`unusable ${what}: ${JSON.stringify(s)}`);
  return t;
};

// Current communes only (no delegated/associated communes, no municipal arrondissements).
const communes = readJson("data/communes.json")
  .filter((c) => c.type === "commune-actuelle")
  // Postal codes, to tell a member's INSEE code from another's postal code
  // (« 64100 »: Bassussarry's INSEE code, Bayonne's postal code).
  .map((c) => ({ code: clean(c.code, "code"), nom: clean(c.nom, "name"), cp: [...new Set(c.codesPostaux || [])].sort(cmp) }))
  .sort((a, b) => cmp(a.code, b.code));
const codes = new Set();
for (const c of communes) {
  if (!/^(\d{2}|2A|2B)\d{3}$/.test(c.code)) throw new Error(`bad INSEE code ${c.code}`);
  if (codes.has(c.code)) throw new Error(`duplicate INSEE code ${c.code}`);
  codes.add(c.code);
}

const epcis = readJson("data/epci.json")
  .map((e) => ({
    siren: clean(e.code, "SIREN"),
    nom: clean(e.nom, "name"),
    // code:SIREN:population municipale, for `mutu new --epci`.
    membres: e.membres
      .map((m) => ({ code: clean(m.code, "member code"), siren: clean(m.siren, "member SIREN"), pop: m.populationMunicipale }))
      .sort((a, b) => cmp(a.code, b.code)),
  }))
  .sort((a, b) => cmp(a.siren, b.siren));
const sirens = new Set();
for (const e of epcis) {
  if (!/^\d{9}$/.test(e.siren)) throw new Error(`bad SIREN ${e.siren}`);
  if (sirens.has(e.siren)) throw new Error(`duplicate SIREN ${e.siren}`);
  sirens.add(e.siren);
  for (const m of e.membres) {
    if (!codes.has(m.code)) throw new Error(`EPCI ${e.siren}: member ${m.code} is not a current commune`);
    if (!/^\d{9}$/.test(m.siren) || !Number.isInteger(m.pop) || m.pop < 0) throw new Error(`EPCI ${e.siren}: member ${m.code} lacks SIREN or population`);
  }
}

let published = "inconnue (registre npm injoignable lors de l'extraction)";
try {
  const times = JSON.parse(execFileSync("npm", ["view", PKG, "time", "--json"], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"] }));
  if (times[pkg.version]) published = times[pkg.version].slice(0, 10);
} catch {
  console.error("npm view failed: SOURCE.md will not carry the publication date");
}

mkdirSync(outDir, { recursive: true });
writeFileSync(join(outDir, "communes.tsv"), communes.map((c) => `${c.code}\t${c.nom}\t${c.cp.join(",")}\n`).join(""));
writeFileSync(join(outDir, "epci.tsv"), epcis.map((e) => `${e.siren}\t${e.nom}\t${e.membres.map((m) => `${m.code}:${m.siren}:${m.pop}`).join(",")}\n`).join(""));
writeFileSync(
  join(outDir, "SOURCE.md"),
  `# Référentiel géographique embarqué

Fichiers générés par \`scripts/cog-update.mjs\` ; ne pas les modifier à la main.

- Paquet npm : \`${PKG}\` version ${pkg.version}, publiée le ${published}
  (${pkg.repository})
- Sources du paquet : Code officiel géographique (COG) de l'INSEE pour les communes,
  liste et composition des EPCI à fiscalité propre de la DGCL pour les EPCI.
- Licence des données : Licence Ouverte / Open Licence (Etalab) ; code du paquet : ${pkg.license}.
- \`communes.tsv\` : \`code INSEE<TAB>nom<TAB>codes postaux séparés par des virgules\`, communes actuelles seulement (ni communes déléguées
  ou associées, ni arrondissements municipaux), triées par code : ${communes.length} lignes.
- \`epci.tsv\` : \`SIREN<TAB>nom<TAB>communes membres « code INSEE:SIREN:population municipale » séparées par des virgules\`,
  triés par SIREN (membres triés par code) : ${epcis.length} lignes.

Régénérer (depuis la racine du dépôt) :

\`\`\`sh
mkdir -p /tmp/cog && cd /tmp/cog && npm init -y >/dev/null && npm install ${PKG}@${pkg.version}
cd - && node scripts/cog-update.mjs /tmp/cog/node_modules/${PKG}
\`\`\`

Pour un nouveau millésime, installer la dernière version du paquet (sans \`@${pkg.version}\`).
`
);
console.log(`${PKG} ${pkg.version}: ${communes.length} communes, ${epcis.length} EPCI`);
