// Compiles the files tsconfig.build.json names (apps/, libs/, plugins/; not the tests, nor the console, which
// Vite builds) to its outDir, one file at a time with swc, in the layout tsc would write. Type errors are
// `npm run typecheck`'s to find: a whole-program tsc here cost ~30 s of every build's critical path for the
// same JavaScript. The `@postwire/*` paths are rewritten by tsc-alias afterwards, from the same tsconfig.
const { transformFile } = require('@swc/core');
const { mkdirSync, writeFileSync } = require('node:fs');
const { basename, dirname, join, relative } = require('node:path');
const ts = require('typescript');
const swcOptions = require('./swc-options');

const root = join(__dirname, '..');
const config = ts.getParsedCommandLineOfConfigFile(
  join(root, 'tsconfig.build.json'),
  {},
  {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (diagnostic) => {
      throw new Error(ts.flattenDiagnosticMessageText(diagnostic.messageText, '\n'));
    },
  },
);
const { outDir, rootDir, sourceMap } = config.options;

async function compile(file) {
  const out = join(outDir, relative(rootDir, file)).replace(/\.ts$/, '.js');
  const { code, map } = await transformFile(file, {
    ...swcOptions,
    filename: file,
    outputPath: out,
    sourceMaps: Boolean(sourceMap),
    swcrc: false,
    configFile: false,
  });
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(out, map ? `${code}\n//# sourceMappingURL=${basename(out)}.map\n` : code);
  if (map) writeFileSync(`${out}.map`, map);
}

(async () => {
  const files = config.fileNames.filter((file) => !file.endsWith('.d.ts'));
  // swc transforms on libuv's thread pool; a few dozen at a time keep its threads busy.
  for (let i = 0; i < files.length; i += 32) await Promise.all(files.slice(i, i + 32).map(compile));
})().catch((error) => {
  console.error(error);
  process.exit(1);
});
