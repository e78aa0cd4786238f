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
    expect(campaign.body.clickUrl).toMatch(
      /\/c\/[0-9a-f-]{36}\?external_id=\{click_id\}&sub1=\{widget_id\}&sub2=\{teaser_id\}&sub3=\{campaign_id\}&sub4=\{geo\}$/,
    );
    const clickId = await click(app, campaign.body.id, 'external_id=mg-1');
    await getJson(`${app.url}/postback?click_id=${clickId}&status=pending`);
    await getJson(`${app.url}/postback?click_id=${clickId}&status=rejected`);
    const hits = await receiver.waitFor(2);
    expect(hits.map((h) => h.query.get('e'))).toEqual(['pending123456', 'rejected123456']);
    const changed = await app.api<{ statusMap: Record<string, string> }>('PATCH', `/api/traffic-sources/${source.body.id}`, { statusMap: { pending: 'lead' } });
    expect(changed.body.statusMap).toEqual({ pending: 'lead' });
  });

  it("copies the preset's tokens to the source, builds the link from them, and labels the report's sub columns", async () => {
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'N2', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', { name: 'O2', networkId: network.body.id, url: 'https://o.example/?cid={click_id}' });
    const source = await app.api<{ id: string; tokens: unknown[] }>('POST', '/api/traffic-sources', {
      name: 'TrafficStars',
      preset: 'trafficstars',
      presetValues: { YOUR_POSTBACK_KEY: 'k1' },
    });
    expect(source.body.tokens).toEqual(expect.arrayContaining([{ target: 'sub1', macro: '{site_id}', label: 'site' }]));
    const campaign = await app.api<{ id: string; clickUrl: string; clickUrlWarnings: unknown[] }>('POST', '/api/campaigns', {
      name: 'Auto cost',
      trafficSourceId: source.body.id,
      offerId: offer.body.id,
      costModel: 'auto',
    });
    expect(campaign.body.clickUrl).toMatch(/\?external_id=\{click_id\}&cost=\{cost\}&sub1=\{site_id\}&sub2=\{adspot_id\}/);
    expect(campaign.body.clickUrlWarnings).toEqual([]);

    // The link works as the source fills it: the click id, cost and site arrive where the tokens put them.
    const now = Date.now();
    await click(app, campaign.body.id, 'external_id=ts-1&cost=0.25&sub1=site-9');
    const from = new Date(Math.floor(now / 900_000) * 900_000).toISOString();
    const to = new Date(Math.floor(now / 900_000) * 900_000 + 3_600_000).toISOString();
    const report = await app.api<{ labels: Record<string, string>; rows: Array<Record<string, unknown>> }>(
      'GET',
      `/api/reports/stats?from=${from}&to=${to}&groupBy=sub1,sub2&trafficSource=${source.body.id}`,
    );
    expect(report.status).toBe(200);
    expect(report.body.labels).toEqual({ sub1: 'site', sub2: 'ad spot' });
    expect(report.body.rows.map((r) => r.sub1)).toContain('site-9');

    // Another source fills sub1 with something else: a report over both keeps sub1 unlabelled.
    const other = await app.api<{ id: string }>('POST', '/api/traffic-sources', {
      name: 'Own',
      postbackUrl: `${receiver.url}/own?c={external_id}`,
      tokens: [{ target: 'sub1', macro: '{zone}', label: 'zone' }],
    });
    expect(other.status).toBe(201);
    const both = await app.api<{ labels: Record<string, string> }>(
      'GET',
      `/api/reports/stats?from=${from}&to=${to}&groupBy=sub1,sub2&trafficSource=${source.body.id},${other.body.id}`,
    );
    expect(both.body.labels).toEqual({ sub2: 'ad spot' });
  });

  it('warns when a source has no click-id token, and refuses two tokens for one target naming the later one', async () => {
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'N3', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', { name: 'O3', networkId: network.body.id, url: 'https://o.example/?cid={click_id}' });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'Bare', postbackUrl: `${receiver.url}/b?c={external_id}` });
    const campaign = await app.api<{ id: string; clickUrl: string; clickUrlWarnings: Array<{ token: string }> }>('POST', '/api/campaigns', {
      name: 'Bare',
      trafficSourceId: source.body.id,
      offerId: offer.body.id,
      costModel: 'auto',
    });
    expect(campaign.body.clickUrl).toMatch(/\?external_id=\{your_click_id_macro\}&cost=\{your_cost_macro\}$/);
    expect(campaign.body.clickUrlWarnings.map((w) => w.token)).toEqual(['external_id', 'cost']);
    const twice = await app.api<{ param: string }>('PATCH', `/api/traffic-sources/${source.body.id}`, {
      tokens: [
        { target: 'external_id', macro: '{clickid}', label: 'click id' },
        { target: 'external_id', macro: '{other}', label: 'click id' },
      ],
    });
    expect(twice).toMatchObject({ status: 400, body: { param: 'tokens.1.target' } });
    const fixed = await app.api('PATCH', `/api/traffic-sources/${source.body.id}`, {
      tokens: [
        { target: 'external_id', macro: '{clickid}', label: 'click id' },
        { target: 'cost', macro: '{cpc}', label: 'cost' },
      ],
    });
    expect(fixed.status).toBe(200);
    const after = await app.api<{ clickUrl: string; clickUrlWarnings: unknown[] }>('GET', `/api/campaigns/${campaign.body.id}`);
    expect(after.body).toMatchObject({ clickUrlWarnings: [] });
    expect(after.body.clickUrl).toMatch(/\?external_id=\{clickid\}&cost=\{cpc\}$/);
  });

  it('asks for a postback URL when the preset has none, and copies its tokens', async () => {
    const missing = await app.api<{ param: string }>('POST', '/api/traffic-sources', { name: 'Google', preset: 'google-ads' });
    expect(missing).toMatchObject({ status: 400, body: { param: 'postbackUrl' } });
    const made = await app.api<{ tokens: Array<{ target: string; macro: string }> }>('POST', '/api/traffic-sources', {
      name: 'Google',
      preset: 'google-ads',
      postbackUrl: `${receiver.url}/g?gclid={external_id}`,
    });
    expect(made.status).toBe(201);
    expect(made.body.tokens[0]).toEqual({ target: 'external_id', macro: '{gclid}', label: 'click id' });
  });
});
