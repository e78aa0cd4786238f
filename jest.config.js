// Three projects: `unit` (pure logic, beside the code: `*.spec.ts`), `integration` (beside the code too,
// against real PostgreSQL, PGlite, Redis or HTTP sockets: `*.int-spec.ts`) and `e2e` (the built app as real
// processes: `test/*.e2e-spec.ts`).
// The build's own swc settings (scripts/swc-options.js): the tests run the code as `npm run build` emits it.
const swc = ['@swc/jest', require('./scripts/swc-options')];
const moduleNameMapper = {
  '^@postwire/plugin-sdk/testing$': '<rootDir>/libs/plugin-sdk/src/testing',
  '^@postwire/core/money$': '<rootDir>/libs/core/src/money/decimal-amount',
  '^@postwire/core/report-columns$': '<rootDir>/libs/core/src/reports/report-columns',
  '^@postwire/core/paging$': '<rootDir>/libs/core/src/paging',
  '^@postwire/(core|plugin-sdk|persistence|config|security|runtime|forwarding)$': '<rootDir>/libs/$1/src',
  '^@postwire/(tracker|worker)$': '<rootDir>/apps/$1/src',
};
const common = { rootDir: __dirname, transform: { '^.+\\.ts$': swc }, moduleNameMapper, testEnvironment: 'node' };
// Migrate once per run into template databases that every suite copies (test/support/global-setup.ts).
const templates = { globalSetup: '<rootDir>/test/support/global-setup.ts', globalTeardown: '<rootDir>/test/support/global-teardown.ts' };
module.exports = {
  // Global, not per project: jest ignores testTimeout inside `projects`. End-to-end tests start real processes.
  testTimeout: 60000,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    // test/*.spec.ts: checks of the repository itself (settings that must agree), no running parts.
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/{apps,libs,plugins}/**/*.spec.ts', '<rootDir>/test/*.spec.ts'] },
    { ...common, ...templates, displayName: 'integration', testMatch: ['<rootDir>/{apps,libs,plugins}/**/*.int-spec.ts'] },
    { ...common, ...templates, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
