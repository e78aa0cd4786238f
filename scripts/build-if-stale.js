// `npm start` builds only when it must: when no build was finished yet, or when a source of it
// (apps/, libs/, plugins/, the package and TypeScript settings) changed since. `npm run build`
// ends by marking the build finished (`--mark`); a build that failed half-way leaves no mark.
// Tests do not go into the build, so editing one does not trigger it. The mark lists the sources it
// was built from, so a source added, removed or renamed (whose time may be old) rebuilds too; and a
// build starts from an empty dist/ (`--clean`), so nothing of a removed source (a renamed migration
// above all: the migrator reads its folder) outlives it.
const { execSync } = require('node:child_process');
const { readdirSync, readFileSync, rmSync, statSync, writeFileSync, mkdirSync } = require('node:fs');
const { join } = require('node:path');

const root = join(__dirname, '..');
const MARK = join(root, 'dist', '.build-finished');
const SOURCE_DIRS = ['apps', 'libs', 'plugins'];
const SOURCE_FILES = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json'];
const SKIPPED_DIRS = new Set(['node_modules', 'dist']);
const TEST_FILE = /\.(spec|int-spec|e2e-spec|test)\.tsx?$/;

/** The newest modification time (ms) of the files the build reads, that file, and the list of them all. */
function sources() {
  let newest = { mtimeMs: 0, path: '' };
  const files = [];
  const consider = (path) => {
    const { mtimeMs } = statSync(path);
    files.push(path.slice(root.length + 1));
    if (mtimeMs > newest.mtimeMs) newest = { mtimeMs, path };
  };
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRS.has(entry.name)) walk(path);
      } else if (!TEST_FILE.test(entry.name)) consider(path);
    }
  };
  SOURCE_DIRS.forEach((dir) => walk(join(root, dir)));
  SOURCE_FILES.forEach((file) => consider(join(root, file)));
  return { newest, list: files.sort().join('\n') };
}

/** When the last build finished, and the sources it was built from. */
function finished() {
  try {
    return { at: statSync(MARK).mtimeMs, list: readFileSync(MARK, 'utf8') };
  } catch {
    return undefined;
  }
}

if (process.argv.includes('--clean')) {
  rmSync(join(root, 'dist'), { recursive: true, force: true });
} else if (process.argv.includes('--mark')) {
  mkdirSync(join(root, 'dist'), { recursive: true });
  writeFileSync(MARK, sources().list);
} else {
  const built = finished();
  const { newest, list } = sources();
  const sameFiles = built !== undefined && built.list === list;
  if (built !== undefined && sameFiles && newest.mtimeMs <= built.at) process.exit(0);
  const why =
    built === undefined
      ? 'no finished build yet'
      : !sameFiles
        ? 'a source was added, removed or renamed since the last build'
        : `${newest.path.slice(root.length + 1)} changed since the last build`;
  process.stdout.write(`Building Postwire (${why}) ...\n`);
  execSync('npm run --silent build', { cwd: root, stdio: 'inherit' });
}
