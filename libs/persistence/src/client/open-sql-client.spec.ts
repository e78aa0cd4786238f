import type { openSqlClient } from './open-sql-client';

/**
 * Which WASM tiers the embedded database is opened with: TurboFan only for a server (memory over its whole
 * life), V8's own for a CLI's short run (CPU). What `optimizingCompilerOnly` does is pglite-client.int-spec.ts's
 * to show; here, with PgliteClient.open recorded instead of run, only which value each caller gets.
 */
describe('openSqlClient, embedded', () => {
  async function openOptions(options: { shortRun?: boolean }): Promise<unknown> {
    const open = jest.fn().mockResolvedValue({});
    let openSql!: typeof openSqlClient;
    jest.isolateModules(() => {
      jest.doMock('./pglite-client', () => ({ PgliteClient: { open } }));
      openSql = (require('./open-sql-client') as typeof import('./open-sql-client')).openSqlClient;
    });
    await openSql({ dataDir: '/data', pgliteSharedBuffersMb: 24, ...options });
    return open.mock.calls;
  }

  it("compiles with TurboFan only for a server, and keeps V8's tiers for a short run", async () => {
    expect(await openOptions({})).toEqual([['/data/pglite', { sharedBuffersMb: 24, optimizingCompilerOnly: true }]]);
    expect(await openOptions({ shortRun: true })).toEqual([['/data/pglite', { sharedBuffersMb: 24, optimizingCompilerOnly: false }]]);
  });
});
