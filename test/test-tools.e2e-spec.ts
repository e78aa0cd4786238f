import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitFor } from './support/wait-until';
import { listItems } from './support/paged';

interface TestPostback {
  outcome: string | null;
  conversionId: string | null;
  test: true;
  forward: boolean;
}
interface Delivery {
  id: string;
  conversionId: string | null;
  isTest: boolean;
  url: string;
}
interface TestDelivery {
  ok: boolean;
  dryRun: boolean;
  deliveryId: string | null;
  request: { url: string };
}
interface Preview {
  forwarded: boolean;
  reason: string | null;
  request: { url: string };
  retrySchedule: string;
}

/**
 * The console's test tools over HTTP against the built app and a local receiver: a test postback is
 * marked test, left out of reports and not forwarded unless asked; a test delivery fills every macro,
 * can be seen before it is sent and is logged as a test; the rules preview renders a stored conversion
 * under draft rules; the cost dialog's endpoints refuse what they cannot do.
 */
describe('safe test tools and forwarding rules', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let setup: Setup;
  const day = 86_400_000;

  beforeAll(async () => {
    receiver = await Receiver.start();
    app = await PostwireProcess.start({ database: 'postgres' });
    setup = await setUpCampaign(app, receiver.url);
  });

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
  });

  const testPostback = async (clickId: string, forward: boolean) => {
    const res = await app.api<TestPostback>('POST', `/api/networks/${setup.networkId}/test-postback`, { clickId, payout: '12.50', forward });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ outcome: 'accepted', test: true, forward });
    return res.body.conversionId!;
  };

  it('keeps a test postback out of reports and forwards it only when asked', async () => {
    const clickId = await click(app, setup.campaignId);
    const quiet = await testPostback(clickId, false);
    // The delivery would be written in the conversion's transaction: none now means none ever.
    expect(await listItems<Delivery>(app, `/api/deliveries?conversionId=${quiet}`)).toEqual([]);

    const loud = await testPostback(clickId, true);
    const [delivery] = await listItems<Delivery>(app, `/api/deliveries?conversionId=${loud}`);
    expect(delivery).toMatchObject({ isTest: true });
    await waitFor(
      async () => receiver.requests.filter((r) => r.query.get('payout') === '12.5').length,
      (n) => n === 1,
      10_000,
      (n) => `receiver got ${n} test deliveries`,
    );

    const range = `from=${new Date(Date.now() - day).toISOString().slice(0, 10)}&to=${new Date(Date.now() + day).toISOString().slice(0, 10)}`;
    const report = await getJson<{ totals: Record<string, unknown> }>(`${app.url}/api/reports/stats?${range}&groupBy=campaign`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(report.status).toBe(200);
    expect(report.body.totals).toMatchObject({ clicks: 1, approved: 0, conversions: 0 });

    const tests = await listItems<{ id: string; isTest: boolean }>(app, `/api/conversions?clickId=${clickId}&test=true`);
    expect(tests.map((c) => c.id).sort()).toEqual([quiet, loud].sort());
    expect(await listItems(app, `/api/conversions?clickId=${clickId}&test=false`)).toEqual([]);
    const log = await app.api<{ items: Array<{ isTest: boolean; conversionId: string }> }>('GET', `/api/postbacks?clickId=${clickId}&test=true`);
    expect(log.body.items.map((p) => p.conversionId).sort()).toEqual([quiet, loud].sort());
    expect((await app.api<{ param: string }>('GET', '/api/deliveries?test=maybe')).body).toMatchObject({ error: 'bad_parameter', param: 'test' });
  });

  it('fills every macro of a test delivery, shows it before sending, and logs it as a test', async () => {
    const patched = await app.api('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, {
      postbackUrl: `${receiver.url}/td?ext={external_id}&s1={sub1}&s10={sub10}&zone={zone}&p={payout}`,
    });
    expect(patched.status).toBe(200);
    const before = receiver.requests.length;
    const dry = await app.api<TestDelivery>('POST', `/api/traffic-sources/${setup.trafficSourceId}/test-delivery`, { dryRun: true });
    expect(dry.body).toMatchObject({ dryRun: true, deliveryId: null });
    expect(dry.body.request.url).toBe(`${receiver.url}/td?ext=test-external-id&s1=test-sub1&s10=test-sub10&zone=test-zone&p=1`);
    expect(receiver.requests.length).toBe(before);

    const sent = await app.api<TestDelivery>('POST', `/api/traffic-sources/${setup.trafficSourceId}/test-delivery`, {});
    expect(sent.body).toMatchObject({ ok: true, dryRun: false });
    expect(receiver.requests.at(-1)!.url).toBe('/td?ext=test-external-id&s1=test-sub1&s10=test-sub10&zone=test-zone&p=1');
    const logged = await listItems<Delivery>(app, `/api/deliveries?trafficSourceId=${setup.trafficSourceId}&test=true`);
    expect(logged.find((d) => d.id === sent.body.deliveryId)).toMatchObject({ conversionId: null, isTest: true });
  });

  it("previews a stored conversion under the source's draft rules and the campaign's override", async () => {
    const clickId = await click(app, setup.campaignId);
    const conversionId = await testPostback(clickId, false);
    const preview = (body: unknown) => app.api<Preview>('POST', `/api/traffic-sources/${setup.trafficSourceId}/forwarding-preview`, body);

    const half = await preview({ conversionId, source: { payoutShare: { type: 'percent', value: '50' } } });
    expect(half.body).toMatchObject({ forwarded: true, reason: null });
    // The click's own sub ids, and a macro no real delivery fills left as it is: the preview shows what would really be sent.
    expect(half.body.request.url).toBe(`${receiver.url}/td?ext=ext-123&s1=banner&s10=&zone={zone}&p=6.25`);

    const rules = await app.api('PUT', `/api/campaigns/${setup.campaignId}/forwarding-rules`, { statuses: ['pending'], retrySchedule: '0,1m' });
    expect(rules.body).toMatchObject({ statuses: ['pending'], payoutShare: null, retrySchedule: '0,1m' });
    const held = await preview({ conversionId });
    expect(held.body).toMatchObject({ forwarded: false, reason: 'status "approved" is not among the statuses forwarded', retrySchedule: '0,1m' });
    const draft = await preview({ conversionId, campaignRules: { payoutShare: { type: 'fixed', value: '3', currency: 'EUR' } } });
    expect(draft.body).toMatchObject({ forwarded: true });
    expect(draft.body.request.url).toMatch(/&p=3$/);

    const bad = await app.api<{ param: string }>('PUT', `/api/campaigns/${setup.campaignId}/forwarding-rules`, { retrySchedule: 'soon' });
    expect(bad.status).toBe(400);
    expect(bad.body.param).toBe('retrySchedule');
  });

  it("checks a change of a campaign's forwarding rules against the version it was read with, and audits it", async () => {
    const path = `/api/campaigns/${setup.campaignId}/forwarding-rules`;
    const read = await app.api<{ version: number; statuses: string[] | null }>('GET', path);
    const campaign = await app.api<{ version: number }>('GET', `/api/campaigns/${setup.campaignId}`);
    expect(read.body.version).toBe(campaign.body.version);

    const saved = await app.api('PUT', path, { statuses: ['approved'], payoutShare: { type: 'percent', value: '70' }, version: read.body.version });
    expect(saved).toMatchObject({ status: 200, body: { statuses: ['approved'], version: read.body.version + 1 } });
    expect((await app.api<{ version: number }>('GET', `/api/campaigns/${setup.campaignId}`)).body.version).toBe(read.body.version + 1);
    // A second save from the same read comes after the first: refused, nothing written.
    const stale = await app.api('PUT', path, { statuses: ['declined'], version: read.body.version });
    expect(stale).toMatchObject({ status: 409, body: { error: 'version_conflict', param: 'version' } });
    expect((await app.api('GET', path)).body).toEqual(saved.body);
    const audit = await app.api<{ items: Array<{ action: string; before: unknown; after: unknown }> }>(
      'GET',
      `/api/audit-log?entityType=campaign&entityId=${setup.campaignId}`,
    );
    expect(audit.body.items[0]).toMatchObject({
      action: 'edit',
      before: { forwardingRules: { statuses: read.body.statuses, payoutShare: null } },
      after: { forwardingRules: { statuses: ['approved'], payoutShare: { type: 'percent', value: '70' } } },
    });
  });

  it('refuses a cost correction it cannot apply, naming the field', async () => {
    const from = new Date(Math.floor((Date.now() - 3 * day) / day) * day).toISOString();
    const to = new Date(Math.floor((Date.now() - 2 * day) / day) * day).toISOString();
    const both = await app.api<{ param: string }>('POST', `/api/campaigns/${setup.campaignId}/costs/preview`, { from, to, amount: '5', perClick: '0.1' });
    expect(both).toMatchObject({ status: 400, body: { param: 'perClick' } });
    const empty = await app.api<{ param: string }>('POST', `/api/campaigns/${setup.campaignId}/costs/preview`, { from, to, perClick: '0.1' });
    expect(empty).toMatchObject({ status: 400, body: { param: 'from' } });
    expect((await app.api<unknown[]>('GET', `/api/campaigns/${setup.campaignId}/costs`)).body).toEqual([]);
  });
});
