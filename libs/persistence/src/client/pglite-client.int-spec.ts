import { TEST_PGLITE_OPTIONS } from '../test-support/databases';
import type { PgliteClient } from './pglite-client';

/**
 * The embedded database starts with Postwire's memory settings, not PostgreSQL's 128 MB of buffers; and
 * Postwire's own processes compile its WASM with TurboFan only (memory), test processes keep V8's tiers
 * (speed). That switch is process-wide and one-way, so each open here gets a fresh PgliteClient module whose
 * switch is counted instead of thrown (wasm-compiler.spec.ts shows what the real one does).
 */
describe('PgliteClient settings', () => {
  async function opened(options: Parameters<typeof PgliteClient.open>[1]) {
    const compileWasmWithOptimizingCompilerOnly = jest.fn();
    let client!: typeof PgliteClient;
    jest.isolateModules(() => {
      jest.doMock('./wasm-compiler', () => ({ compileWasmWithOptimizingCompilerOnly }));
      client = (require('./pglite-client') as typeof import('./pglite-client')).PgliteClient;
    });
    const db = await client.open(undefined, options);
    try {
      const { rows } = await db.query<{ name: string; setting: string }>(
        `SELECT name, current_setting(name) AS setting FROM unnest(ARRAY['shared_buffers', 'work_mem', 'temp_buffers']) AS name`,
      );
      return {
        settings: Object.fromEntries(rows.map((r) => [r.name, r.setting])),
        turboFanOnlySwitches: compileWasmWithOptimizingCompilerOnly.mock.calls.length,
      };
    } finally {
      await db.close();
    }
  }

  it('opens with 16 MB of shared buffers and small work memory, compiling with TurboFan only, by default', async () => {
    expect(await opened({})).toEqual({ settings: { shared_buffers: '16MB', work_mem: '2MB', temp_buffers: '2MB' }, turboFanOnlySwitches: 1 });
  }, 60_000);

  it('takes the shared buffers from PGLITE_SHARED_BUFFERS_MB, and keeps V8 tiers when told to (tests)', async () => {
    const { settings, turboFanOnlySwitches } = await opened({ ...TEST_PGLITE_OPTIONS, sharedBuffersMb: 48 });
    expect(settings.shared_buffers).toBe('48MB');
    expect(turboFanOnlySwitches).toBe(0);
  }, 60_000);
});
