import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PostwireProcess } from './support/postwire-process';

const ROOT = join(__dirname, '..');

/** Runs only `plugins/<id>/`'s own specs, as the plugin's author would. */
function runPluginSpecs(id: string) {
  return spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', `plugins/${id}/`, '--selectProjects', 'unit'], {
    cwd: ROOT,
    encoding: 'utf8',
    env: { ...process.env, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
  });
}

/** Runs a local tool of node_modules/.bin the way npm scripts do. */
function runTool(bin: string, args: string[]) {
  return spawnSync(join(ROOT, 'node_modules', '.bin', bin), args, { cwd: ROOT, encoding: 'utf8' });
}

/** The plugin author's path: one command makes a plugin that passes its own tests at once. */
describe('npm run plugin:new', () => {
  const id = `zz-scaffold-${randomBytes(3).toString('hex')}`;
  const dir = join(ROOT, 'plugins', id);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scaffolds a plugin whose tests pass as generated', () => {
    const made = spawnSync(process.execPath, ['scripts/plugin-new.js', id], { cwd: ROOT, encoding: 'utf8' });
    expect(made.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['README.md', 'fixtures', 'index.ts']));
    const run = runPluginSpecs(id);
    // Only the new plugin's own specs ran (a pattern after --selectProjects would be read as a project name).
    expect(run.stderr + run.stdout).toMatch(/Tests:\s+\d+ passed, 0 failed/);
    expect(run.stderr + run.stdout).not.toMatch(/conformance\.spec\.ts/);
    expect(run.status).toBe(0);
  }, 120_000);

  it('refuses an id that exists or is malformed', () => {
    expect(existsSync(dir)).toBe(true);
    expect(spawnSync(process.execPath, ['scripts/plugin-new.js', id], { cwd: ROOT }).status).toBe(1);
    expect(spawnSync(process.execPath, ['scripts/plugin-new.js', 'Bad_Id'], { cwd: ROOT }).status).toBe(1);
    expect(existsSync(join(ROOT, 'plugins', 'Bad_Id'))).toBe(false);
  });
});

/** The same for a forwarding target: `--target` makes a plugin that passes its tests and that the tracker lists. */
describe('npm run plugin:new -- --target', () => {
  const id = `zz-target-${randomBytes(3).toString('hex')}`;
  const dir = join(ROOT, 'plugins', id);
  // The generated plugin compiled on its own with the build's settings, then put where `npm run build` puts plugins/.
  const out = join(ROOT, 'dist', `scaffold-${id}`);
  const built = join(ROOT, 'dist', 'plugins', id);
  let app: PostwireProcess | undefined;

  afterAll(async () => {
    await app?.dispose();
    rmSync(dir, { recursive: true, force: true });
    rmSync(out, { recursive: true, force: true });
    rmSync(built, { recursive: true, force: true });
  });

  it('scaffolds a target whose files pass lint, prettier and its own tests as generated', () => {
    const made = spawnSync(process.execPath, ['scripts/plugin-new.js', '--target', id], { cwd: ROOT, encoding: 'utf8' });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'index.ts', `${id}.target.spec.ts`, `${id}.target.ts`]);
    const run = runPluginSpecs(id);
    expect(run.stderr + run.stdout).toMatch(/target conformance/);
    expect(run.stderr + run.stdout).toMatch(/Tests:\s+\d+ passed, 0 failed/);
    expect(run.status).toBe(0);
    const lint = runTool('eslint', [`plugins/${id}/`]);
    expect(lint.stdout + lint.stderr).toBe('');
    const format = runTool('prettier', ['--check', `plugins/${id}/`]);
    expect(format.status).toBe(0);
  }, 180_000);

  it('compiles type-checked with the build settings and is discovered in plugins/: GET /api/forwarding-targets lists it', async () => {
    expect(existsSync(dir)).toBe(true);
    mkdirSync(out, { recursive: true });
    const tsconfig = join(out, 'tsconfig.json');
    // The build's settings (type-checked, specs left out, @postwire/* paths rewritten) for this plugin alone.
    // Relative paths: tsc-alias rewrites nothing with absolute ones.
    const config = {
      extends: '../../tsconfig.build.json',
      compilerOptions: { outDir: '.', rootDir: '../..', baseUrl: '../..' },
      include: [`../../plugins/${id}`],
    };
    writeFileSync(tsconfig, JSON.stringify(config));
    const compiled = runTool('tsc', ['-p', tsconfig]);
    expect(compiled.stdout + compiled.stderr).toBe('');
    expect(runTool('tsc-alias', ['-p', tsconfig]).status).toBe(0);
    // Only the plugin's folder: its @postwire/plugin-sdk import now points at the SDK of the build.
    cpSync(join(out, 'plugins', id), built, { recursive: true });
    app = await PostwireProcess.start({ database: 'postgres' });
    const listed = await app.api<Array<{ id: string; origin: string; events: string[]; configSchema: Record<string, { secret?: boolean }> }>>(
      'GET',
      '/api/forwarding-targets',
    );
    expect(listed.status).toBe(200);
    const target = listed.body.find((t) => t.id === id);
    expect(target).toMatchObject({ origin: `plugins/${id}`, events: ['Purchase', 'Lead'], configSchema: { accessToken: { secret: true } } });
  }, 180_000);
});

/** The same for a fraud scorer: `--scorer` makes a plugin that passes the scorer conformance kit, lint and prettier. */
describe('npm run plugin:new -- --scorer', () => {
  const id = `zz-scorer-${randomBytes(3).toString('hex')}`;
  const dir = join(ROOT, 'plugins', id);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scaffolds a scorer whose files pass lint, prettier and its own tests as generated', () => {
    const made = spawnSync(process.execPath, ['scripts/plugin-new.js', '--scorer', id], { cwd: ROOT, encoding: 'utf8' });
    expect(made.stderr).toBe('');
    expect(made.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'index.ts', `${id}.scorer.spec.ts`, `${id}.scorer.ts`]);
    const run = runPluginSpecs(id);
    expect(run.stderr + run.stdout).toMatch(/scorer conformance/);
    expect(run.stderr + run.stdout).toMatch(/Tests:\s+\d+ passed, 0 failed/);
    expect(run.status).toBe(0);
    const lint = runTool('eslint', [`plugins/${id}/`]);
    expect(lint.stdout + lint.stderr).toBe('');
    const format = runTool('prettier', ['--check', `plugins/${id}/`]);
    expect(format.status).toBe(0);
  }, 180_000);
});
