import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

/** A traffic source's link tokens (migration 016), on the embedded PGlite and on PostgreSQL alike. */
describe.each(BOTH_DRIVERS)('traffic-source tokens on %s', (driver) => {
  let db: TestDatabase;
  let sources: TrafficSourceRepository;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    sources = new TrafficSourceRepository(db.client);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('has none until given, keeps them in order, and replaces the whole list on update', async () => {
    const made = await sources.create({ name: 'S', postbackUrl: 'https://s.example/pb?c={external_id}' });
    expect(made.tokens).toEqual([]);
    const tokens = [
      { target: 'external_id' as const, macro: '[CLICK_ID]', label: 'click id' },
      { target: 'sub2' as const, macro: '{{ad.id}}', label: 'ad' },
      { target: 'sub1' as const, macro: '${ZONE}', label: 'zone' },
    ];
    expect((await sources.update(made.id, { tokens }))!.tokens).toEqual(tokens);
    expect((await sources.get(made.id))!.tokens).toEqual(tokens);
    expect((await sources.update(made.id, { name: 'S2' }))!.tokens).toEqual(tokens);
    expect((await sources.update(made.id, { tokens: [] }))!.tokens).toEqual([]);
    const withTokens = await sources.create({ name: 'T', postbackUrl: 'https://t.example/pb', tokens: tokens.slice(0, 1) });
    expect((await sources.list()).find((s) => s.id === withTokens.id)!.tokens).toEqual(tokens.slice(0, 1));
  });
});
