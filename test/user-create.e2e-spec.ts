import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConsoleSession } from './support/console-session';
import { seedPgliteDataFolder } from './support/pglite-data-folder';
import { PostwireProcess } from './support/postwire-process';

const ROOT = join(__dirname, '..');
const CLI = join(ROOT, 'dist/apps/tracker/src/cli/user-create.js');

/** `npm run user:create` on the embedded database, then Postwire booted on it: no generated admin, the made one signs in. */
describe('npm run user:create', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'postwire-usercreate-'));
  // The run's migrated database: the CLI's own migrating from empty is a first boot's, which first-boot.e2e-spec.ts covers.
  beforeAll(() => expect(seedPgliteDataFolder(dataDir)).toBe(true));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  const run = (args: string[]) =>
    spawnSync(process.execPath, [CLI, ...args], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('refuses bad arguments by name, makes an admin, resets an existing one, and the server then skips the first-boot admin', async () => {
    const bad = run(['--email', 'not-an-address', '--role', 'admin']);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain('--email');
    expect(run(['--email', 'ops@example.com', '--role', 'boss']).stderr).toContain('--role');
    expect(run(['--email', 'ops@example.com', '--password', 'short']).stderr).toContain('--password');

    const made = run(['--email', 'ops@example.com', '--role', 'admin', '--password', 'first password here']);
    expect([made.status, made.stdout]).toEqual([0, expect.stringContaining('ops@example.com (admin) created')]);
    const generated = run(['--email', 'OPS@example.com', '--role', 'admin']);
    expect(generated.status).toBe(0);
    expect(generated.stdout).toContain('User ops@example.com (admin) updated');
    const password = /shown only now:\s+(\S+)/.exec(generated.stdout)![1];
    const demoted = run(['--email', 'ops@example.com', '--role', 'manager', '--password', 'not applied at all']);
    expect([demoted.status, demoted.stderr]).toEqual([64, expect.stringContaining('ops@example.com is the last admin account')]);

    const app = await PostwireProcess.start({ env: { DATA_DIR: dataDir, QUEUE_PREFIX: 'pwuc' + randomBytes(4).toString('hex') } });
    try {
      expect(app.output).not.toContain('No console account existed');
      expect((await new ConsoleSession(app).signIn('ops@example.com', 'first password here')).status).toBe(401);
      const session = new ConsoleSession(app);
      const res = await session.signIn('ops@example.com', password);
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ user: { email: 'ops@example.com', role: 'admin' } });
    } finally {
      await app.dispose();
    }
  }, 120_000);
});
