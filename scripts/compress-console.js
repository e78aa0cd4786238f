// Precompresses the built console once, at build time, so the tracker sends each file as Brotli or gzip
// (chosen by the browser's Accept-Encoding, @fastify/static `preCompressed`) without compressing on
// every request. Writes `<file>.br` (quality 11) and `<file>.gz` (level 9) beside every text file of
// apps/console/dist; a file that compression does not make smaller is left without them, and the
// server sends it as it is. Usage: node scripts/compress-console.js
const { readdirSync, readFileSync, writeFileSync } = require('node:fs');
const { join } = require('node:path');
const { brotliCompressSync, gzipSync, constants } = require('node:zlib');

const dist = join(__dirname, '..', 'apps', 'console', 'dist');
/** Text formats only: images and fonts in these formats are compressed already. */
const COMPRESSIBLE = /\.(html|js|mjs|css|svg|json|txt|map)$/;

const encoders = {
  br: (bytes) =>
    brotliCompressSync(bytes, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
    }),
  gz: (bytes) => gzipSync(bytes, { level: 9 }),
};

let files = 0;
let raw = 0;
const packed = { br: 0, gz: 0 };
const walk = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    // Vite's manifest is read by scripts at build time, never served to a browser.
    if (entry.isDirectory()) {
      if (entry.name !== '.vite') walk(path);
      continue;
    }
    if (!COMPRESSIBLE.test(entry.name)) continue;
    const bytes = readFileSync(path);
    files += 1;
    raw += bytes.length;
    for (const [ext, encode] of Object.entries(encoders)) {
      const out = encode(bytes);
      if (out.length >= bytes.length) {
        packed[ext] += bytes.length;
        continue;
      }
      writeFileSync(`${path}.${ext}`, out);
      packed[ext] += out.length;
    }
  }
};
walk(dist);
const kb = (n) => (n / 1024).toFixed(1);
console.log(`precompressed ${files} console files: ${kb(raw)} KB raw, ${kb(packed.br)} KB brotli, ${kb(packed.gz)} KB gzip`);
