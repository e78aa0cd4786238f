import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { PostwireProcess } from './support/postwire-process';
import { inPlugin, linesAbout, lintPlugins, runPluginSpecs, runScript, runTool, type ToolRun } from './support/tool-runs';

const ROOT = join(__dirname, '..');
const RUN = randomBytes(3).toString('hex');

/** One plugin of each kind `npm run plugin:new` makes, and the files it writes. */
const PLUGINS = [
  {
    kind: 'adapter',
    flags: [],
    id: `zz-adapter-${RUN}`,
    files: (id: string) => ['README.md', 'fixtures', 'index.ts', `${id}.adapter.spec.ts`, `${id}.adapter.ts`],
  },
  { kind: 'target', flags: ['--target'], id: `zz-target-${RUN}`, files: (id: string) => ['README.md', 'index.ts', `${id}.target.spec.ts`, `${id}.target.ts`] },
  { kind: 'scorer', flags: ['--scorer'], id: `zz-scorer-${RUN}`, files: (id: string) => ['README.md', 'index.ts', `${id}.scorer.spec.ts`, `${id}.scorer.ts`] },
].map((plugin) => ({ ...plugin, dir: join(ROOT, 'plugins', plugin.id), expected: plugin.files(plugin.id).sort() }));
const IDS = PLUGINS.map((p) => p.id);
const [ADAPTER, TARGET, SCORER] = PLUGINS;

/**
 * The plugin author's path: one command makes a plugin that passes lint, Prettier, the build's type check and
 * its own tests as generated, and that the built app discovers in plugins/. The three plugins are made first and
 * each tool runs once over all of them (each spawn pays its whole start-up); every plugin's tests read only
 * what the tools said about its folder, so a broken kind fails alone.
 */
describe('npm run plugin:new (adapter, --target, --scorer)', () => {
  // A private copy of the built app, with the new plugins compiled into its plugins/: the apps of specs
  // running beside this one boot from dist/ and never load them. (No other e2e spec reads the sources in
  // plugins/; `npm test` runs the unit project, which would run their specs, before the e2e one.)
  const appDir = join(ROOT, 'dist', `scaffold-${RUN}`);
  const made = new Map<string, ToolRun>();
  let specs: ReturnType<typeof runPluginSpecs>;
  let lint: ReturnType<typeof lintPlugins>;
  let format: ToolRun;
  let compiled: ToolRun;
  let aliased: ToolRun;

  afterAll(() => {
    for (const { dir } of PLUGINS) rmSync(dir, { recursive: true, force: true });
    rmSync(appDir, { recursive: true, force: true });
  });

  beforeAll(() => {
    mkdirSync(appDir, { recursive: true });
    for (const { flags, id } of PLUGINS) made.set(id, runScript('scripts/plugin-new.js', [...flags, id]));
    // Only the folders that were made: a missing one would fail every tool for every plugin.
    const folders = PLUGINS.filter((p) => existsSync(p.dir)).map((p) => `plugins/${p.id}`);
    if (folders.length === 0) throw new Error(`plugin:new made no plugin:\n${[...made.values()].map((m) => m.stderr).join('\n')}`);
    specs = runPluginSpecs(folders, join(appDir, 'jest-report.json'));
    lint = lintPlugins(folders);
    format = runTool('prettier', ['--check', ...folders]);
    // The build's settings (type-checked, specs left out, @postwire/* paths rewritten) for the new plugins alone,
    // compiled into the private app. Relative paths: tsc-alias rewrites nothing with absolute ones.
    const tsconfig = join(appDir, 'tsconfig.json');
    const config = {
      extends: '../../tsconfig.build.json',
      compilerOptions: { outDir: '.', rootDir: '../..', baseUrl: '../..' },
      include: folders.map((folder) => `../../${folder}`),
    };
    writeFileSync(tsconfig, JSON.stringify(config));
    compiled = runTool('tsc', ['-p', tsconfig]);
    aliased = runTool('tsc-alias', ['-p', tsconfig]);
  }, 300_000);

  describe.each(PLUGINS)('$kind', ({ kind, id, dir, expected }) => {
    it('is scaffolded with its files', () => {
      expect(made.get(id)?.stderr).toBe('');
      expect(made.get(id)?.status).toBe(0);
      expect(readdirSync(dir).sort()).toEqual(expected);
    });

    it('passes its own specs as generated, the conformance kit among them', () => {
      const files = specs.files().filter((file) => inPlugin(file.name, id));
      const specFiles = expected.filter((name) => name.endsWith('.spec.ts'));
      expect(files.map((file) => ({ file: basename(file.name), status: file.status, message: file.message }))).toEqual(
        specFiles.map((file) => ({ file, status: 'passed', message: '' })),
      );
      const tests = files.flatMap((file) => file.assertionResults);
      expect(tests.filter((test) => test.status !== 'passed').map((test) => test.fullName)).toEqual([]);
      expect(tests.flatMap((test) => test.ancestorTitles)).toContain(`${id} ${kind} conformance`);
    });

    it('passes ESLint, every TypeScript file of it linted', () => {
      expect(lint.run.stderr).toBe('');
      const files = lint.files().filter((file) => inPlugin(file.filePath, id));
      expect(files.map((file) => basename(file.filePath)).sort()).toEqual(expected.filter((name) => name.endsWith('.ts')));
      expect(files.flatMap((file) => file.messages.map((m) => `${basename(file.filePath)}:${m.line} ${m.ruleId}: ${m.message}`))).toEqual([]);
    });

    it('passes prettier --check', () => {
      expect(linesAbout(format, id, IDS)).toEqual([]);
    });

    it("compiles type-checked with the build's settings", () => {
      expect(linesAbout(compiled, id, IDS)).toEqual([]);
      expect(linesAbout(aliased, id, IDS)).toEqual([]);
    });
  });

  it('refuses an id that exists or is malformed', () => {
    expect(existsSync(ADAPTER.dir)).toBe(true);
    expect(runScript('scripts/plugin-new.js', [ADAPTER.id]).status).toBe(1);
    expect(runScript('scripts/plugin-new.js', ['Bad_Id']).status).toBe(1);
    expect(existsSync(join(ROOT, 'plugins', 'Bad_Id'))).toBe(false);
  });

  it("runs only the new plugins' own specs, and Jest's exit status agrees with its report", () => {
    const specFiles = PLUGINS.flatMap((p) => p.expected.filter((name) => name.endsWith('.spec.ts')).map((name) => `plugins/${p.id}/${name}`));
    const ran = specs.files();
    expect(ran.map((file) => relative(ROOT, file.name)).sort()).toEqual(specFiles.sort());
    expect(specs.run.status).toBe(ran.every((file) => file.status === 'passed') ? 0 : 1);
  });

  describe('the built app with them in its plugins/', () => {
    let app: PostwireProcess | undefined;

    beforeAll(async () => {
      // The build's apps, libs and plugins beside the compiled new plugins, laid out as `npm run build` lays out
      // dist/: their @postwire/plugin-sdk imports now point at the build's SDK.
      for (const part of ['apps', 'libs', 'plugins']) cpSync(join(ROOT, 'dist', part), join(appDir, part), { recursive: true });
      app = await PostwireProcess.start({ database: 'postgres', appDir });
    }, 120_000);

    afterAll(() => app?.dispose());

    it('lists the adapter: GET /api/plugins', async () => {
      const listed = await app!.api<{ adapters: Array<{ id: string }> }>('GET', '/api/plugins');
      expect(listed.status).toBe(200);
      expect(listed.body.adapters.find((a) => a.id === ADAPTER.id)).toMatchObject({
        origin: `plugins/${ADAPTER.id}`,
        methods: ['GET'],
        configSchema: { postbackSecret: { secret: true } },
      });
    });

    it('lists the target: GET /api/forwarding-targets', async () => {
      const listed = await app!.api<Array<{ id: string }>>('GET', '/api/forwarding-targets');
      expect(listed.status).toBe(200);
      expect(listed.body.find((t) => t.id === TARGET.id)).toMatchObject({
        origin: `plugins/${TARGET.id}`,
        events: ['Purchase', 'Lead'],
        configSchema: { accessToken: { secret: true } },
      });
    });

    it("weighs the scorer's reason: its default weight is in a fraud policy's defaults", async () => {
      const network = await app!.api<{ id: string }>('POST', '/api/networks', { name: 'Scaffold network' });
      const offer = await app!.api<{ id: string }>('POST', '/api/offers', {
        name: 'Scaffold offer',
        networkId: network.body.id,
        url: 'https://offer.example/?c={click_id}',
      });
      expect(offer.status).toBe(201);
      const policy = await app!.api<{ defaults: { weights: Record<string, number> } }>('GET', `/api/fraud/offers/${offer.body.id}/policy`);
      expect(policy.status).toBe(200);
      expect(policy.body.defaults.weights[`${SCORER.id}:suspicious`]).toBe(40);
    });
  });
});
