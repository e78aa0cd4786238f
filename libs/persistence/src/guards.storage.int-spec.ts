import { newClickId } from '@postwire/core';
import { ApiKeyRepository } from './repositories/api-key.repository';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository } from './repositories/click.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { ClickContextLoader, PostbackRecorder, type InboundConversion } from './repositories/postback-recorder';
import { Reattributor } from './repositories/reattributor';
import { SigningSecretRepository } from './repositories/signing-secret.repository';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

/** Storage of network guards, credentials and sealed secrets (migration 003), on both drivers. */
describe.each(BOTH_DRIVERS)('guard storage on %s', (driver) => {
  let db: TestDatabase;
  let networks: NetworkRepository;
  let keys: ApiKeyRepository;
  let secrets: SigningSecretRepository;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    networks = new NetworkRepository(db.client);
    keys = new ApiKeyRepository(db.client);
    secrets = new SigningSecretRepository(db.client);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  let n = 0;
  const network = (extra: Partial<Parameters<NetworkRepository['create']>[0]> = {}) =>
    networks.create({ name: 'N', slug: `n${++n}`, adapter: 'generic', adapterConfig: {}, ...extra });

  /** A campaign on a fresh network with `guards`, and a click id that is not stored yet. */
  async function campaignOn(guards: Record<string, unknown>) {
    const net = await network({ guards });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: net.id, url: 'https://o.example/?c={click_id}' });
    const source = await new TrafficSourceRepository(db.client).create({ name: 'S', postbackUrl: 'https://s.example/pb?e={external_id}', method: 'GET' });
    const campaign = await new CampaignRepository(db.client).create({ name: 'C', trafficSourceId: source.id, offerId: offer.id });
    return { net, campaignId: campaign.id };
  }

  it('keeps guards and sealed adapter secrets apart from the settings, and names the sealed fields only', async () => {
    const created = await network({ adapterConfig: { field: 'x' }, adapterSecrets: { secretKey: 'v1:sealed' }, guards: { requireApiKey: true } });
    expect(created).toMatchObject({ adapterConfig: { field: 'x' }, guards: { requireApiKey: true }, secretFields: ['secretKey'] });
    expect(JSON.stringify(created)).not.toContain('v1:sealed');
    expect(await networks.sealedSecrets(created.id)).toEqual({ secretKey: 'v1:sealed' });
    expect((await network()).guards).toEqual({});

    const renamed = await networks.update(created.id, { name: 'Renamed', guards: { ipAllowlist: ['203.0.113.0/24'] } });
    expect(renamed).toMatchObject({
      name: 'Renamed',
      slug: created.slug,
      adapterConfig: { field: 'x' },
      guards: { ipAllowlist: ['203.0.113.0/24'] },
      secretFields: ['secretKey'],
    });
    expect(await networks.update('not-a-uuid', { name: 'x' })).toBeUndefined();
  });

  it('finds the network of a click through its campaign and offer, several clicks in one statement', async () => {
    const { net, campaignId } = await campaignOn({ ipAllowlist: ['203.0.113.0/24'] });
    const other = await campaignOn({});
    let loads = 0;
    const loader = new ClickContextLoader({
      ...db.client,
      driver: db.client.driver,
      transaction: (work, options) => (loads++, db.client.transaction(work, options)),
    } as typeof db.client);
    const [clickId, otherClick] = [newClickId(), newClickId()];
    expect(await loader.load(clickId, '')).toBeUndefined();
    await new ClickRepository(db.client).insertMany([
      { id: clickId, campaignId, subs: {}, createdAt: new Date() },
      { id: otherClick, campaignId: other.campaignId, subs: {}, createdAt: new Date() },
    ]);
    // Asked in one turn: one batch, each caller its own click's network.
    loads = 0;
    const [mine, theirs, unknown] = await Promise.all([loader.load(clickId, ''), loader.load(otherClick, 'sale'), loader.load(newClickId(), '')]);
    expect(loads).toBe(1);
    expect(mine).toMatchObject({
      clickId,
      goal: '',
      campaignId,
      networkId: net.id,
      network: { id: net.id, slug: net.slug, guards: { ipAllowlist: ['203.0.113.0/24'] } },
    });
    expect(theirs).toMatchObject({ clickId: otherClick, goal: 'sale', networkId: other.net.id, network: { id: other.net.id } });
    expect(unknown).toBeUndefined();
  });

  it('lists and revokes network keys per network, and admin keys per scope', async () => {
    const a = await network();
    const b = await network();
    const keyA = await keys.insert({ hash: 'ha' + n, scope: 'network', networkId: a.id, label: 'a' });
    await keys.insert({ hash: 'hb' + n, scope: 'network', networkId: b.id });
    const read = await keys.insert({ hash: 'hr' + n, scope: 'read' });
    expect((await keys.list({ networkId: a.id })).map((k) => k.id)).toEqual([keyA.id]);
    expect((await keys.list({ scopes: ['read'] })).map((k) => k.id)).toContain(read.id);
    expect(JSON.stringify(await keys.list({ networkId: a.id }))).not.toContain('ha' + n);

    expect(await keys.revoke(keyA.id, { networkId: b.id })).toBeUndefined();
    expect(await keys.revoke(read.id, { scopes: ['admin'] })).toBeUndefined();
    const revoked = await keys.revoke(keyA.id, { networkId: a.id });
    expect(revoked?.revokedAt).toBeInstanceOf(Date);
    expect(await keys.findActiveByHash('ha' + n)).toBeUndefined();
    expect((await keys.revoke(keyA.id, { networkId: a.id }))?.revokedAt).toEqual(revoked?.revokedAt);
  });

  it('refuses a network key without its network and an admin key tied to one', async () => {
    const a = await network();
    await expect(keys.insert({ hash: 'orphan' + n, scope: 'network' })).rejects.toThrow();
    await expect(keys.insert({ hash: 'tied' + n, scope: 'admin', networkId: a.id })).rejects.toThrow();
  });

  it('keeps several signing secrets per network until each is revoked', async () => {
    const a = await network();
    const first = await secrets.create({ networkId: a.id, sealed: 'v1:one', label: 'old' });
    await secrets.create({ networkId: a.id, sealed: 'v1:two' });
    expect(await secrets.activeSealed(a.id)).toEqual(['v1:one', 'v1:two']);
    expect(await secrets.countActive(a.id)).toBe(2);
    expect(JSON.stringify(await secrets.list(a.id))).not.toContain('v1:');
    expect(await secrets.revoke((await network()).id, first.id)).toBeUndefined();
    expect((await secrets.revoke(a.id, first.id))?.revokedAt).toBeInstanceOf(Date);
    expect(await secrets.activeSealed(a.id)).toEqual(['v1:two']);
  });

  describe('late clicks', () => {
    const early = (clickId: string, extra: Partial<InboundConversion> = {}): InboundConversion => ({
      channel: 's2s',
      clickId,
      txid: `t-${clickId}`,
      params: {},
      receivedAt: new Date(),
      ...extra,
    });

    it("refuses to attribute a bare postback that skipped its network's guards, and attributes the rest", async () => {
      const guarded = await campaignOn({ requireSignature: true });
      const open = await campaignOn({});
      const recorder = new PostbackRecorder(db.client);
      const ids = { bare: newClickId(), viaNetwork: newClickId(), pixel: newClickId(), unguarded: newClickId() };
      await recorder.record(early(ids.bare));
      await recorder.record(early(ids.viaNetwork, { networkId: guarded.net.id }));
      await recorder.record(early(ids.pixel, { channel: 'pixel' }));
      await recorder.record(early(ids.unguarded));
      const clicks = new ClickRepository(db.client);
      const at = new Date();
      await clicks.insertMany([
        { id: ids.bare, campaignId: guarded.campaignId, subs: {}, createdAt: at },
        { id: ids.viaNetwork, campaignId: guarded.campaignId, subs: {}, createdAt: at },
        { id: ids.pixel, campaignId: guarded.campaignId, subs: {}, createdAt: at },
        { id: ids.unguarded, campaignId: open.campaignId, subs: {}, createdAt: at },
      ]);
      await new Reattributor(db.client).run();
      const { rows } = await db.client.query<{ click_id: string; conversions: number; reason: string | null }>(
        `SELECT p.click_id, (SELECT count(*)::int FROM conversions c WHERE c.click_id = p.click_id) AS conversions, p.reason
         FROM postbacks p WHERE p.click_id = ANY($1)`,
        [Object.values(ids)],
      );
      const byClick = Object.fromEntries(rows.map((r) => [r.click_id, r]));
      expect(byClick[ids.bare]).toMatchObject({ conversions: 0, reason: expect.stringContaining('unverified') });
      expect(byClick[ids.viaNetwork].conversions).toBe(1);
      expect(byClick[ids.pixel].conversions).toBe(1);
      expect(byClick[ids.unguarded].conversions).toBe(1);
    });
  });
});
