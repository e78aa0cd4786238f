import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import { importX } from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// The layering (ARCHITECTURE.md, "Layers"): which of our modules each folder may import. A module is
// refused both by its alias (`@postwire/x`) and by a relative path into its `src/`, so a cycle cannot
// sneak in through `../../`. Each folder gets one complete list: ESLint replaces, not merges, a rule
// configured twice for the same file.
const APPS = ['tracker', 'worker', 'standalone'];
const LIBS = ['core', 'plugin-sdk', 'config', 'security', 'persistence', 'forwarding', 'runtime'];
const refuse = (names) => names.flatMap((name) => [`@postwire/${name}`, `@postwire/${name}/*`, `**/${name}/src/**`]);
const except = (allowed) => [...LIBS, ...APPS].filter((name) => !allowed.includes(name));
const TEST_SUPPORT = ['**/test/support/**'];
// Integration specs wire real parts together (e.g. the processor with the real DeliveryRepository and a
// test receiver), so within libs they are only held to "libs never import apps".
const REAL_PARTS_SPECS = ['**/*.int-spec.ts'];

// The tracker's folders (ARCHITECTURE.md, "Feature map"). The toolbox and the shared guards are used by
// every feature and import none; a feature imports another feature only through that feature's
// index.ts (its public surface: `../clicks`, never `../clicks/campaign-routes`). The entry points
// (`tracker.module.ts`, `create-http-app.ts`, `main.ts`, `cli/`) compose the features and are exempt.
export const TRACKER_TOOLBOX = ['boot', 'http', 'openapi', 'plugins', 'schemas'];
export const TRACKER_SHARED = ['access', 'guards'];
export const TRACKER_FEATURES = [
  'alerts',
  'auth',
  'campaigns',
  'clicks',
  'console',
  'conversions',
  'currency-rates',
  'deliveries',
  'forwarding-targets',
  'health',
  'lifecycle',
  'networks',
  'offers',
  'ops',
  'pixel',
  'postback-log',
  'postbacks',
  'reports',
  'traffic-sources',
];
const TRACKER_APP_RULE = [...refuse(['worker', 'standalone']), ...TEST_SUPPORT];

/** A tracker folder, which must not import the tracker folders in `below` at all. */
function tracker(folder, below, why) {
  const group = [...TRACKER_APP_RULE, ...below.flatMap((name) => [`../${name}`, `../${name}/*`])];
  return {
    files: [`apps/tracker/src/${folder}/**/*.ts`],
    ignores: REAL_PARTS_SPECS,
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group, message: why }] }] },
  };
}

/** Every feature folder: any file of the toolbox and shared folders, another feature only by its index. */
function trackerFeatures() {
  const internals = ['../*/*', ...[...TRACKER_TOOLBOX, ...TRACKER_SHARED].map((name) => `!../${name}/*`)];
  return {
    files: TRACKER_FEATURES.map((feature) => `apps/tracker/src/${feature}/**/*.ts`),
    ignores: REAL_PARTS_SPECS,
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: TRACKER_APP_RULE, message: 'The tracker does not import the other apps.' },
            {
              group: internals,
              message: "A feature imports another feature only through its index.ts (e.g. '../clicks'), never its other files.",
            },
          ],
        },
      ],
    },
  };
}

/** `files` may import only the modules in `allowed` (plus their own folder). */
function layer(files, allowed, why, ignores = []) {
  return {
    files,
    ignores: [...ignores, ...REAL_PARTS_SPECS],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: [...refuse(except(allowed)), ...TEST_SUPPORT], message: why }] }],
    },
  };
}

// ---- Console boundaries (apps/console/src; kept by the console, separate from the tracker rules above) ----
// The console talks to the server only through api/ (the one door: the HTTP client and the generated
// types), pages/<feature>/ folders stay apart (another feature's queries.ts is its only public face), and
// the shared folders never reach up into pages/. Regexes, because a relative path's meaning depends on
// the file's depth: `escape(n)` is n or more `../`, enough to leave apps/console/src from that depth.
const CONSOLE = 'apps/console/src';
const CONSOLE_FILES = (glob) => [`${CONSOLE}/${glob}.ts`, `${CONSOLE}/${glob}.tsx`];
const escape = (depth) => `^(\\.\\./){${depth},}`;
const SERVER_MESSAGE = 'The console reaches the server only through api/ (HTTP and the generated OpenAPI types), never by importing server code.';
const server = (depth) => [
  // Three exceptions: @postwire/core/money, the exact-decimal codec, is a file that imports nothing and is
  // shared on purpose so the console sums money exactly as the server does (one implementation);
  // @postwire/core/report-columns, the report column registry (it imports only the codec), so the
  // console lists the columns the server computes; and @postwire/core/paging (imports nothing outside
  // its folder), so the pager counts rows and caps totals as the server does.
  { regex: '^@postwire(?!/core/(money|report-columns|paging)$)(/|$)', message: SERVER_MESSAGE },
  { regex: '(^|/)(apps|libs|plugins)/', message: SERVER_MESSAGE },
  { regex: escape(depth), message: 'Nothing in the console imports from outside apps/console/src.' },
];
const PAGES_MESSAGE = 'components/, lib/, auth/ and charts/ are shared by every screen: they never import pages/.';
/** Each console folder gets one complete list: ESLint replaces, not merges, a rule configured twice for one file. */
const consoleFolder = (files, patterns, ignores = []) => ({ files, ignores, rules: { 'no-restricted-imports': ['error', { patterns }] } });

const PAGE_PATTERNS = [
  ...server(3),
  {
    // From pages/<feature>/x: `../<other>/y` or `../../pages/<other>/y`, unless y is that feature's queries.
    regex: '^(\\.\\./[^./][^/]*|(\\.\\./){2}pages/[^/]+)/(?!queries$)',
    message:
      "A page folder does not import another page folder's internals; its queries.ts is the only shared part (or move the shared piece to components/ or lib/).",
  },
];
const SCREEN_MESSAGE =
  "A screen reads and writes through its feature's queries.ts (query keys and invalidations live there), not through api/ or react-query directly.";

const consoleBoundaries = [
  // The app's root (main, App, routes) wires the pages together.
  consoleFolder(CONSOLE_FILES('*'), server(1)),
  consoleFolder(CONSOLE_FILES('{auth,charts,components,lib}/**/*'), [...server(2), { regex: '(^|/)pages(/|$)', message: PAGES_MESSAGE }]),
  // One folder deeper (components/forms/, components/lifecycle/): the same rules, one more `../` to leave src.
  consoleFolder(CONSOLE_FILES('{auth,charts,components,lib}/*/**/*'), [...server(3), { regex: '(^|/)pages(/|$)', message: PAGES_MESSAGE }]),
  consoleFolder([`${CONSOLE}/pages/*/queries.ts`], PAGE_PATTERNS),
  // A screen reaches the server only through its feature's queries.ts, where the keys and invalidations are.
  consoleFolder(
    CONSOLE_FILES('pages/*/*'),
    [...PAGE_PATTERNS, { regex: '(^|/)api/(client|endpoints)$|^@tanstack/react-query$', message: SCREEN_MESSAGE }],
    [`${CONSOLE}/pages/*/queries.ts`],
  ),
];

export default tseslint.config(
  { ignores: ['dist/**', '.bench-build/**', 'apps/console/dist/**', 'node_modules/**', 'data/**', 'bench/results/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { require: 'readonly', module: 'writable', __dirname: 'readonly', process: 'readonly', console: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  layer(['libs/core/**/*.ts'], ['core'], 'libs/core is the bottom layer: it imports nothing of ours.'),
  layer(['libs/plugin-sdk/**/*.ts'], ['plugin-sdk', 'core'], 'libs/plugin-sdk builds on libs/core only.'),
  layer(['libs/security/**/*.ts'], ['security', 'core'], 'libs/security builds on libs/core only.'),
  layer(['libs/config/**/*.ts'], ['config', 'core', 'security'], 'libs/config builds on libs/core and libs/security only.'),
  layer(['libs/persistence/**/*.ts'], ['persistence', 'core', 'security'], 'libs/persistence does not import forwarding, runtime or apps.'),
  layer(
    ['libs/forwarding/**/*.ts'],
    ['forwarding', 'core', 'security'],
    'libs/forwarding does not import persistence (it declares the DeliveryStore it needs), runtime or apps.',
  ),
  {
    files: ['libs/**/*.int-spec.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [{ group: refuse(APPS), message: 'libs never import apps.' }] }] },
  },
  layer(
    ['libs/runtime/**/*.ts'],
    ['runtime', 'core', 'security', 'config', 'persistence', 'plugin-sdk'],
    'libs/runtime (the Nest shells, the plugin registry and the target runtime) does not import forwarding or apps.',
  ),
  layer(['plugins/**/*.ts'], ['plugin-sdk'], 'A plugin imports only @postwire/plugin-sdk.', ['plugins/**/*.spec.ts']),
  // A plugin's spec may also check it against the engine's own vocabulary.
  layer(['plugins/**/*.spec.ts'], ['plugin-sdk', 'core'], "A plugin's spec imports only @postwire/plugin-sdk and @postwire/core."),
  layer(['apps/tracker/**/*.ts'], except(['worker', 'standalone']), 'The tracker does not import the other apps.'),
  layer(['apps/worker/**/*.ts'], except(['tracker', 'standalone']), 'The worker does not import the other apps.'),
  // Inside the tracker: the toolbox and the shared guards never import a feature; features import
  // each other only through an index.ts.
  trackerFeatures(),
  tracker(
    'http',
    [...TRACKER_FEATURES, ...TRACKER_SHARED, 'openapi', 'plugins', 'schemas'],
    'http/ is the toolbox every tracker folder uses; it imports none of them.',
  ),
  tracker('plugins', [...TRACKER_FEATURES, ...TRACKER_SHARED, 'openapi', 'schemas'], 'plugins/ (registry, adapter secrets) imports only http/ of the tracker.'),
  tracker('guards', [...TRACKER_FEATURES, 'access', 'openapi', 'schemas'], 'guards/ (postback guards) use only http/ and plugins/; the features use them.'),
  tracker('access', TRACKER_FEATURES, 'access/ (the admin guard and scope) is shared by every admin feature; it imports none of them.'),
  tracker('openapi', TRACKER_FEATURES, 'openapi/ describes the routes it is given; it imports no feature.'),
  tracker('boot', [...TRACKER_FEATURES, ...TRACKER_SHARED], 'boot/ (the ready block) is used by the bootstraps and main; it imports no feature.'),
  tracker('schemas', TRACKER_FEATURES, 'schemas/ holds the zod pieces the features share; it imports no feature.'),
  // The tracker's integration specs wire real parts together (a private PostgreSQL from test/support),
  // as the libs' do: they are held only to "not the other apps".
  {
    files: ['apps/tracker/**/*.int-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: refuse(['worker', 'standalone']), message: 'The tracker does not import the other apps.' }] }],
    },
  },
  // No import cycles anywhere (ARCHITECTURE.md, "Layers"): one rule over every TypeScript file, resolved
  // like the compiler does (path aliases included), so a cycle through an alias or a barrel is found too.
  // Not run from spec files: nothing imports a spec, so none can be on a cycle, and a cycle among the
  // modules a spec imports is found from those modules. The rule walks the graph afresh from every file it
  // runs on, and from the specs' many imports that was over half its time (it is most of lint's CPU).
  {
    files: ['**/*.ts', '**/*.tsx'],
    ignores: ['**/*.spec.ts', '**/*.int-spec.ts', '**/*.e2e-spec.ts', '**/*.spec.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': importX.flatConfigs.typescript.settings['import-x/extensions'],
      'import-x/parsers': importX.flatConfigs.typescript.settings['import-x/parsers'],
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: ['tsconfig.json', 'apps/console/tsconfig.json'], noWarnOnMultipleProjects: true })],
    },
    rules: { 'import-x/no-cycle': ['error', { ignoreExternal: true }] },
  },
  ...consoleBoundaries,
);
