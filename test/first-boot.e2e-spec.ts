import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PostwireProcess } from './support/postwire-process';
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

  it('prints a generated admin key once, keeps only its hash, and keeps data across a restart', async () => {
    const app = await PostwireProcess.start({ env: { ADMIN_API_KEY: '' } });
    try {
      expect(app.output).not.toContain(MISSING_NODE_OPTIONS_WARNING);
      const match = /No ADMIN_API_KEY was set[\s\S]*?(pw_admin_[A-Za-z0-9_-]+)/.exec(app.output);
      expect(match).not.toBeNull();
      const key = match![1];
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
      const networks = await getJson<Array<{ id: string; name: string }>>(`${app.url}/api/networks`, { headers: auth });
      expect(networks.body).toEqual([expect.objectContaining({ id: created.body.id, name: 'Kept' })]);
    } finally {
      await app.dispose();
    }
  });
});
