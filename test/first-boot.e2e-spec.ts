import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostwireProcess } from './support/postwire-process';
import { ConsoleSession } from './support/console-session';
import { readyBlockOf } from './support/ready-block';
import { getJson } from './support/scenario';

const ROOT = join(__dirname, '..');

const MISSING_NODE_OPTIONS_WARNING = 'Started without the Node options --max-semi-space-size=4 --max-old-space-size=256';

/** What a new user meets first: config errors, the generated admin key, an embedded database that keeps its data. */
describe('first boot of the embedded default', () => {
  it('stops boot on a bad setting with a message naming it', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/apps/standalone/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', PORT: 'abc', DATABASE_URL: 'mysql://nope' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('PORT');
    expect(run.stderr).toContain('DATABASE_URL');
  });

  it('checks every CIDR list before touching DATA_DIR (no secrets key is written for a boot that fails)', () => {
    const dataDir = join(mkdtempSync(join(tmpdir(), 'postwire-boot-')), 'data');
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/apps/standalone/src/main.js')], {
      env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir, FORWARD_ALLOW_CIDRS: 'banana' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain('FORWARD_ALLOW_CIDRS');
    expect(run.stderr).not.toContain('    at ');
    expect(existsSync(dataDir)).toBe(false);
  });

  it('warns at boot when started without the Node options `npm start` gives it (another supervisor)', async () => {
    const app = await PostwireProcess.start({ nodeOptions: [] });
    try {
      expect(app.output).toContain(MISSING_NODE_OPTIONS_WARNING);
    } finally {
      await app.dispose();
    }
  });

  it('ends the boot log with a "ready" block: URLs, where data is, and the secrets made now, once; keeps data across a restart', async () => {
    // From an empty database, as a first `npm start` is: the migrations run at this boot.
    const app = await PostwireProcess.start({ env: { ADMIN_API_KEY: '' }, emptyDatabase: true });
    try {
      expect(app.output).not.toContain(MISSING_NODE_OPTIONS_WARNING);
      const block = readyBlockOf(app.output);
      expect(block).toMatchObject({
        tracker: `http://localhost:${app.port}`,
        console: `http://localhost:${app.port}/console/`,
        data: `embedded PGlite in ${join(app.dataDir, 'pglite')}`,
        'admin e-mail': 'admin@postwire.local',
        'admin API key': expect.stringMatching(/^pw_admin_[A-Za-z0-9_-]+$/),
      });
      const password = block['admin password'];
      // Each secret appears once in the whole log, in the block.
      for (const secret of [block['admin API key'], password]) expect(app.output.split(secret)).toHaveLength(2);
      expect((await new ConsoleSession(app).signIn('admin@postwire.local', password)).status).toBe(200);
      const key = block['admin API key'];
      const auth = { authorization: `Bearer ${key}` };
      const created = await getJson<{ id: string }>(`${app.url}/api/networks`, {
        method: 'POST',
        headers: { ...auth, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Kept', adapter: 'generic' }),
      });
      expect(created.status).toBe(201);

      await app.stop();
      app.output = '';
      await app.boot();
      expect(app.output).not.toContain('No ADMIN_API_KEY was set');
      const again = readyBlockOf(app.output);
      expect(Object.keys(again)).toEqual(['tracker', 'console', 'data']);
      const networks = await getJson<Array<{ id: string; name: string }>>(`${app.url}/api/networks`, { headers: auth });
      expect(networks.body).toEqual([expect.objectContaining({ id: created.body.id, name: 'Kept' })]);
    } finally {
      await app.dispose();
    }
  }, 120_000); // two boots of the embedded database, the first one creating it
});
