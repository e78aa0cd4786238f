// What the console's first load sends over the wire: index.html, the entry chunk and everything it imports
// statically, the dashboard route (the first screen after sign-in), its imports and its chart, and the CSS
// of all those chunks. Reads Vite's manifest and counts each file as the tracker sends it: the
// precompressed `.br` or `.gz` beside it (scripts/compress-console.js), or the file itself when there is
// none. Fails above the budget (gzip, the larger of the two). test/console-a11y.e2e-spec.ts measures the
// same load in Chromium. Usage: node scripts/console-size.js
const { existsSync, readFileSync, statSync } = require('node:fs');
const { join } = require('node:path');

const BUDGET_KB = 400;
const dist = join(__dirname, '..', 'apps', 'console', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const dashboardKey = Object.keys(manifest).find((k) => k.endsWith('pages/dashboard/Dashboard.tsx'));
const files = new Set(['index.html']);
const seen = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || seen.has(key)) return;
  seen.add(key);
  files.add(chunk.file);
  for (const css of chunk.css ?? []) files.add(css);
  for (const dep of chunk.imports ?? []) visit(dep);
};
visit(entryKey);
visit(dashboardKey);
for (const key of manifest[dashboardKey].dynamicImports ?? []) visit(key);

const size = (path) => statSync(path).size;
const sent = (file, ext) => (existsSync(join(dist, `${file}.${ext}`)) ? size(join(dist, `${file}.${ext}`)) : size(join(dist, file)));
const total = { raw: 0, br: 0, gz: 0 };
for (const file of files) {
  total.raw += size(join(dist, file));
  total.br += sent(file, 'br');
  total.gz += sent(file, 'gz');
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(
  `first load: ${files.size} files (HTML, JS, CSS), ${kb(total.raw)} KB raw; sent ${kb(total.br)} KB brotli, ${kb(total.gz)} KB gzip (budget ${BUDGET_KB} KB)`,
);
if (total.gz > BUDGET_KB * 1024) process.exitCode = 1;
