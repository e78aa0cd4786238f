import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson } from './support/scenario';

/** Traffic sources made from presets: the outbound plugins' URL templates and status words. */
describe('traffic-source presets', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let drop: () => Promise<void>;

  beforeAll(async () => {
    receiver = await Receiver.start();
    const database = await createPostgresDatabase();
    drop = database.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: database.url } });
  });

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
    await drop?.();
  });

  it('lists the installed presets', async () => {
    const plugins = await app.api<{ presets: Array<{ id: string; postbackUrlTemplate: string }> }>('GET', '/api/plugins');
    expect(plugins.body.presets.map((p) => p.id)).toEqual(expect.arrayContaining(['taboola', 'mgid', 'trafficstars', 'propellerads']));
  });

  it("fills the preset's URL, asking for the per-account values by name", async () => {
    const missing = await app.api<{ param: string }>('POST', '/api/traffic-sources', { name: 'Propeller', preset: 'propellerads' });
    expect(missing).toMatchObject({ status: 400, body: { param: 'presetValues.YOUR_AID' } });
    const made = await app.api<{ postbackUrl: string; preset: string }>('POST', '/api/traffic-sources', {
      name: 'Propeller',
      preset: 'propellerads',
      presetValues: { YOUR_AID: '123', YOUR_TID: '456' },
    });
    expect(made.status).toBe(201);
    expect(made.body.preset).toBe('propellerads');
    expect(made.body.postbackUrl).toBe('https://ad.propellerads.com/conversion.php?aid=123&pid=&tid=456&visitor_id={external_id}&payout={payout}');
    const unknown = await app.api<{ param: string }>('POST', '/api/traffic-sources', { name: 'X', preset: 'nope' });
    expect(unknown).toMatchObject({ status: 400, body: { param: 'preset' } });
  });

  it('makes an MGID source whose event is the status word plus the campaign suffix the user gives', async () => {
    const missing = await app.api<{ param: string }>('POST', '/api/traffic-sources', { name: 'MGID', preset: 'mgid' });
    expect(missing).toMatchObject({ status: 400, body: { param: 'presetValues.YOUR_EVENT_SUFFIX' } });
    const bad = await app.api<{ param: string }>('POST', '/api/traffic-sources', {
      name: 'MGID',
      preset: 'mgid',
      presetValues: { YOUR_EVENT_SUFFIX: '12&r=999' },
    });
    expect(bad).toMatchObject({ status: 400, body: { param: 'presetValues.YOUR_EVENT_SUFFIX' } });
    const made = await app.api<{ postbackUrl: string }>('POST', '/api/traffic-sources', {
      name: 'MGID',
      preset: 'mgid',
      presetValues: { YOUR_EVENT_SUFFIX: '123456' },
    });
    expect(made.status).toBe(201);
    expect(made.body.postbackUrl).toBe('https://a.mgid.com/postback?c={external_id}&e={status}123456&r={payout}');
  });

  it("sends {status} in the source's own words and puts its click-id macro in the campaign link", async () => {
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'N', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', { name: 'O', networkId: network.body.id, url: 'https://o.example/?cid={click_id}' });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', {
      name: 'MGID',
      preset: 'mgid',
      postbackUrl: `${receiver.url}/pb?c={external_id}&e={status}123456`,
    });
    const campaign = await app.api<{ id: string; clickUrl: string }>('POST', '/api/campaigns', {
      name: 'C',
      trafficSourceId: source.body.id,
      offerId: offer.body.id,
    });
    expect(campaign.body.clickUrl).toMatch(/\/c\/[0-9a-f-]{36}\?external_id=\{click_id\}$/);
    const clickId = await click(app, campaign.body.id, 'external_id=mg-1');
    await getJson(`${app.url}/postback?click_id=${clickId}&status=pending`);
    await getJson(`${app.url}/postback?click_id=${clickId}&status=rejected`);
    const hits = await receiver.waitFor(2);
    expect(hits.map((h) => h.query.get('e'))).toEqual(['pending123456', 'rejected123456']);
    const changed = await app.api<{ statusMap: Record<string, string> }>('PATCH', `/api/traffic-sources/${source.body.id}`, { statusMap: { pending: 'lead' } });
    expect(changed.body.statusMap).toEqual({ pending: 'lead' });
  });
});
