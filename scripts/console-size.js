// Compressed JavaScript of the console's first load: the entry chunk and everything it imports
// statically, plus the dashboard route (the first screen after sign-in), its imports and its chart.
// Reads Vite's manifest; gzip level 9 as a web server would serve it. Usage: node scripts/console-size.js
const { readFileSync } = require('node:fs');
const { join } = require('node:path');
const { gzipSync } = require('node:zlib');

const dist = join(__dirname, '..', 'apps', 'console', 'dist');
const manifest = JSON.parse(readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'));
const entryKey = Object.keys(manifest).find((k) => manifest[k].isEntry);
const dashboardKey = Object.keys(manifest).find((k) => k.endsWith('pages/dashboard/Dashboard.tsx'));
const files = new Set();
const visit = (key) => {
  const chunk = manifest[key];
  if (!chunk || files.has(chunk.file)) return;
  files.add(chunk.file);
  for (const dep of chunk.imports ?? []) visit(dep);
};
visit(entryKey);
visit(dashboardKey);
for (const key of manifest[dashboardKey].dynamicImports ?? []) visit(key);
let raw = 0;
let gz = 0;
for (const file of files) {
  const bytes = readFileSync(join(dist, file));
  raw += bytes.length;
  gz += gzipSync(bytes, { level: 9 }).length;
}
const kb = (n) => (n / 1024).toFixed(1);
console.log(`first load: ${files.size} JS files, ${kb(raw)} KB raw, ${kb(gz)} KB gzip (budget 400 KB)`);
if (gz > 400 * 1024) process.exitCode = 1;
