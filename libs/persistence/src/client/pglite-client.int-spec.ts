import { PgliteClient } from './pglite-client';
import { TEST_PGLITE_OPTIONS } from '../test-support/databases';

/** The embedded database starts with Postwire's memory settings, not PostgreSQL's 128 MB of buffers. */
describe('PgliteClient memory settings', () => {
  async function settings(options?: { sharedBuffersMb?: number }) {
    const db = await PgliteClient.open(undefined, { ...TEST_PGLITE_OPTIONS, ...options });
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

/**
 * Postwire's own processes open PGlite with WASM compiled by TurboFan only (its memory); test processes keep
 * V8's tiers (their speed). The switch is process-wide and one-way, so this counts the calls to it instead of
 * reading the tiers after (wasm-compiler.spec.ts shows what the call does).
 */
describe('PgliteClient WASM tiers', () => {
  async function switchesCountedOpening(options: { optimizingCompilerOnly?: boolean }): Promise<number> {
    const compileWasmWithOptimizingCompilerOnly = jest.fn();
    let client!: typeof import('./pglite-client').PgliteClient;
    jest.isolateModules(() => {
      jest.doMock('./wasm-compiler', () => ({ compileWasmWithOptimizingCompilerOnly }));
      client = (require('./pglite-client') as typeof import('./pglite-client')).PgliteClient;
    });
    const db = await client.open(undefined, options);
    await db.close();
    return compileWasmWithOptimizingCompilerOnly.mock.calls.length;
  }

  it('compiles with TurboFan only unless told not to', async () => {
    expect(await switchesCountedOpening({})).toBe(1);
    expect(await switchesCountedOpening(TEST_PGLITE_OPTIONS)).toBe(0);
  }, 60_000);
});
