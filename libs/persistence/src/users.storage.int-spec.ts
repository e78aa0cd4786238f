import { CampaignRepository } from './repositories/campaign.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { SessionRepository } from './repositories/session.repository';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { EmailTaken, UserRepository } from './repositories/user.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

/** Console accounts and sessions (migration 006), on the embedded PGlite and on PostgreSQL alike. */
describe.each(BOTH_DRIVERS)('users and sessions on %s', (driver) => {
  let db: TestDatabase;
  let users: UserRepository;
  let sessions: SessionRepository;
  const campaignIds: string[] = [];

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    users = new UserRepository(db.client);
    sessions = new SessionRepository(db.client);
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}' });
    const source = await new TrafficSourceRepository(db.client).create({ name: 'S', postbackUrl: 'https://s.example/pb', method: 'GET' });
    for (const name of ['A', 'B'])
      campaignIds.push((await new CampaignRepository(db.client).create({ name, trafficSourceId: source.id, offerId: offer.id })).id);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  it('keeps e-mail addresses unique without regard to case, and finds them the same way', async () => {
    const made = await users.create({ email: 'Ana@Example.com', passwordHash: 'h1', role: 'client', campaignIds: [campaignIds[0]], hideProfit: true });
    expect(made).toMatchObject({ email: 'Ana@Example.com', role: 'client', campaignIds: [campaignIds[0]], hideProfit: true, timeZone: 'UTC' });
    await expect(users.create({ email: 'ana@example.COM', passwordHash: 'h2', role: 'admin' })).rejects.toBeInstanceOf(EmailTaken);
    expect((await users.findForSignIn('ANA@example.com'))?.passwordHash).toBe('h1');
    expect(await users.count()).toBe(1);
  });

  it('replaces a client grant as a whole and names the campaign ids that do not exist', async () => {
    const { user } = (await users.findForSignIn('ana@example.com'))!;
    const updated = await users.update(user.id, { campaignIds: [campaignIds[1], campaignIds[0]], timeZone: 'Europe/Berlin' });
    expect(updated?.campaignIds).toEqual([...campaignIds].sort());
    expect(updated?.timeZone).toBe('Europe/Berlin');
    expect(await users.unknownCampaigns([campaignIds[0], '00000000-0000-4000-8000-000000000000', 'nope'])).toEqual([
      'nope',
      '00000000-0000-4000-8000-000000000000',
    ]);
    expect((await users.update(user.id, { campaignIds: [campaignIds[1]] }))?.campaignIds).toEqual([campaignIds[1]]);
    expect(await users.update('00000000-0000-4000-8000-000000000000', { role: 'admin' })).toBeUndefined();
  });

  it('finds a session only while live: not revoked, not expired; revoking all of a user spares the one named', async () => {
    const { user } = (await users.findForSignIn('ana@example.com'))!;
    const soon = new Date(Date.now() + 60_000);
    await sessions.create({ idHash: 'a', userId: user.id, csrfToken: 't-a', expiresAt: soon });
    await sessions.create({ idHash: 'b', userId: user.id, csrfToken: 't-b', expiresAt: soon });
    await sessions.create({ idHash: 'c', userId: user.id, csrfToken: 't-c', expiresAt: soon });
    await sessions.create({ idHash: 'old', userId: user.id, csrfToken: 't', expiresAt: new Date(Date.now() - 1000) });
    expect(await sessions.findActive('a')).toMatchObject({ userId: user.id, csrfToken: 't-a' });
    expect(await sessions.findActive('old')).toBeUndefined();
    await sessions.revoke('a');
    expect(await sessions.findActive('a')).toBeUndefined();
    await sessions.revokeAllOf(user.id, 'c');
    expect(await sessions.findActive('b')).toBeUndefined();
    expect(await sessions.findActive('c')).toBeDefined();
    expect(await users.delete(user.id)).toBe(true);
    expect(await sessions.findActive('c')).toBeUndefined();
  });
});
