import { CampaignRepository } from './repositories/campaign.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { SessionRepository } from './repositories/session.repository';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { EmailTaken, LastAdmin, UserRepository } from './repositories/user.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

/** Console accounts and sessions (migrations 006 and 010), on the embedded PGlite and on PostgreSQL alike. */
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

  it('stores e-mail addresses in their canonical form, unique without regard to case or Unicode form, and finds them the same way', async () => {
    const made = await users.create({ email: 'Ana@Example.com', passwordHash: 'h1', role: 'client', campaignIds: [campaignIds[0]], hideProfit: true });
    expect(made).toMatchObject({ email: 'ana@example.com', role: 'client', campaignIds: [campaignIds[0]], hideProfit: true, timeZone: 'UTC' });
    await expect(users.create({ email: 'ana@example.COM', passwordHash: 'h2', role: 'admin' })).rejects.toBeInstanceOf(EmailTaken);
    expect((await users.findForSignIn('ANA@example.com'))?.passwordHash).toBe('h1');
    expect(await users.count()).toBe(1);
    const nina = await users.create({ email: 'nina@example.com', passwordHash: 'h3', role: 'manager' });
    await expect(users.create({ email: 'n\u0130na@example.com', passwordHash: 'h4', role: 'manager' })).rejects.toBeInstanceOf(EmailTaken);
    expect((await users.findForSignIn('N\u0130NA@example.com'))?.user.id).toBe(nina.id);
    await users.delete(nina.id);
  });

  it('re-folds addresses stored in another form, and refuses, naming both, when two would become one', async () => {
    await db.client.query(`INSERT INTO users (email, password_hash, role) VALUES ('Stra\u00dfe@Example.com', 'h', 'manager')`);
    expect(await users.canonicaliseStored()).toBe(1);
    expect((await users.findForSignIn('strasse@example.com'))?.user.email).toBe('strasse@example.com');
    expect(await users.canonicaliseStored()).toBe(0);
    await db.client.query(`INSERT INTO users (email, password_hash, role) VALUES ('STRASSE@example.com', 'h', 'manager')`);
    await expect(users.canonicaliseStored()).rejects.toThrow(/"strasse@example.com" and "STRASSE@example.com"/);
    await db.client.query(`DELETE FROM users WHERE email IN ('strasse@example.com', 'STRASSE@example.com')`);
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

  it('keeps at most the cap of live sessions per user, ending the oldest, even when sign-ins arrive at once; lists and ends one', async () => {
    const user = await users.create({ email: 'many@example.com', passwordHash: 'h', role: 'manager' });
    const soon = new Date(Date.now() + 60_000);
    await Promise.all(Array.from({ length: 30 }, (_, i) => sessions.create({ idHash: `m${i}`, userId: user.id, csrfToken: 't', expiresAt: soon }, 5)));
    expect(await sessions.listActiveOf(user.id)).toHaveLength(5);
    await sessions.create({ idHash: 'newest', userId: user.id, csrfToken: 't', expiresAt: soon, userAgent: 'Firefox' }, 5);
    const live = await sessions.listActiveOf(user.id);
    expect(live).toHaveLength(5);
    expect(live[0]).toEqual({ id: 'newest', createdAt: expect.any(Date), expiresAt: soon, userAgent: 'Firefox' });
    expect(await sessions.revokeOneOf(user.id, 'newest')).toBe(true);
    expect(await sessions.revokeOneOf(user.id, 'newest')).toBe(false);
    expect(await sessions.listActiveOf(user.id)).toHaveLength(4);
    await users.delete(user.id);
  });

  it('keeps one admin when the last two are demoted or deleted at the same moment', async () => {
    for (let round = 0; round < 5; round++) {
      const [a, b] = await Promise.all(['a', 'b'].map((n) => users.create({ email: `admin-${n}${round}@example.com`, passwordHash: 'h', role: 'admin' })));
      const others = (await users.list()).filter((u) => u.role === 'admin' && u.id !== a.id && u.id !== b.id);
      for (const other of others) await users.update(other.id, { role: 'manager' });
      const results = await Promise.allSettled(
        round % 2 ? [users.update(a.id, { role: 'manager' }), users.delete(b.id)] : [a, b].map((u) => users.update(u.id, { role: 'manager' })),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      expect(results.find((r) => r.status === 'rejected')).toEqual({ status: 'rejected', reason: expect.any(LastAdmin) });
      expect((await users.list()).filter((u) => u.role === 'admin')).toHaveLength(1);
      for (const u of [a, b]) await db.client.query(`DELETE FROM users WHERE id = $1`, [u.id]);
    }
  });

  it('ends the API keys a user made when that user is demoted or deleted, by revoking them or giving them an expiry', async () => {
    const keys = new ApiKeyRepository(db.client);
    const [maker, other] = await Promise.all(['maker', 'keeper'].map((n) => users.create({ email: `${n}@example.com`, passwordHash: 'h', role: 'admin' })));
    const made = await keys.insert({ hash: 'key-of-maker', scope: 'admin', createdBy: { id: maker.id, email: maker.email } });
    const unknown = await keys.insert({ hash: 'key-of-nobody', scope: 'admin' });
    expect((await keys.get(made.id))?.createdBy).toEqual({ id: maker.id, email: 'maker@example.com' });
    expect((await keys.get(unknown.id))?.createdBy).toBeNull();
    await users.update(maker.id, { role: 'manager' }, { action: 'expire', afterHours: 2 });
    const expiring = await keys.get(made.id);
    expect(expiring?.revokedAt).toBeNull();
    expect(expiring!.expiresAt!.getTime()).toBeGreaterThan(Date.now() + 3_600_000);
    expect(await keys.findActiveByHash('key-of-maker')).toBeDefined();
    await db.client.query(`UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1`, [made.id]);
    expect(await keys.findActiveByHash('key-of-maker')).toBeUndefined();

    const second = await keys.insert({ hash: 'second-of-keeper', scope: 'read', createdBy: { id: other.id, email: other.email } });
    await users.update(maker.id, { role: 'admin' });
    await users.update(other.id, { role: 'manager' });
    expect(await keys.findActiveByHash('second-of-keeper')).toBeDefined();
    await users.delete(other.id);
    expect((await keys.get(second.id))?.revokedAt).toBeInstanceOf(Date);
    expect((await keys.get(second.id))?.createdBy).toEqual({ id: null, email: 'keeper@example.com' });
    expect(await keys.findActiveByHash('key-of-nobody')).toBeDefined();
    await expect(users.delete(maker.id)).rejects.toBeInstanceOf(LastAdmin);
    await db.client.query(`DELETE FROM users WHERE id = $1`, [maker.id]);
  });
});
