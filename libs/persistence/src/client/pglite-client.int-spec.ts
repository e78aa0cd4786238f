import { PgliteClient } from './pglite-client';

/** The embedded database starts with Postwire's memory settings, not PostgreSQL's 128 MB of buffers. */
describe('PgliteClient memory settings', () => {
  async function settings(options?: { sharedBuffersMb?: number }) {
    const db = await PgliteClient.open(undefined, options);
    try {
      const { rows } = await db.query<{ name: string; setting: string }>(
        `SELECT name, current_setting(name) AS setting FROM unnest(ARRAY['shared_buffers', 'work_mem', 'temp_buffers']) AS name`,
      );
      return Object.fromEntries(rows.map((r) => [r.name, r.setting]));
    } finally {
      await db.close();
    }
  }

  it('opens with 16 MB of shared buffers and small work memory by default', async () => {
    expect(await settings()).toEqual({ shared_buffers: '16MB', work_mem: '2MB', temp_buffers: '2MB' });
  }, 60_000);

  it('takes the shared buffers from PGLITE_SHARED_BUFFERS_MB', async () => {
    expect((await settings({ sharedBuffersMb: 48 })).shared_buffers).toBe('48MB');
  }, 60_000);
});
