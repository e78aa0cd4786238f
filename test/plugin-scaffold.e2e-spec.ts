import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** The plugin author's path: one command makes a plugin that passes its own tests at once. */
describe('npm run plugin:new', () => {
  const id = `zz-scaffold-${randomBytes(3).toString('hex')}`;
  const dir = join(ROOT, 'plugins', id);

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scaffolds a plugin whose tests pass as generated', () => {
    const made = spawnSync(process.execPath, ['scripts/plugin-new.js', id], { cwd: ROOT, encoding: 'utf8' });
    expect(made.status).toBe(0);
    expect(readdirSync(dir).sort()).toEqual(expect.arrayContaining(['README.md', 'fixtures', 'index.ts']));
    const run = spawnSync(process.execPath, ['--experimental-vm-modules', 'node_modules/jest/bin/jest.js', `plugins/${id}/`, '--selectProjects', 'unit'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, NODE_OPTIONS: '--disable-warning=ExperimentalWarning' },
    });
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
