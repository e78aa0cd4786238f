import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, setUpCampaign, type Setup } from './support/scenario';
import { waitUntil } from './support/wait-until';

/** The admin routes the console needs: test postback, test delivery, conversion trace, alerts. On PostgreSQL. */
describe('console API', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let setup: Setup;

  beforeAll(async () => {
    receiver = await Receiver.start();
    receiver.respondWith((req) => (req.url.startsWith('/broken') ? { status: 500, body: 'source says no' } : { status: 200, body: 'OK from source' }));
    app = await PostwireProcess.start({ database: 'postgres' });
    setup = await setUpCampaign(app, receiver.url);
  });

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
  });

  it("sends a test postback through the network's own adapter and reports the outcome", async () => {
    const clickId = await click(app, setup.campaignId);
    const test = await app.api<{ statusCode: number; outcome: string; conversionId: string; guards: { passed: boolean }; request: { url: string } }>(
      'POST',
      `/api/networks/${setup.networkId}/test-postback`,
      { clickId, payout: '3.25' },
    );
    expect(test.status).toBe(200);
    expect(test.body).toMatchObject({ statusCode: 200, outcome: 'accepted', guards: { passed: true } });
    expect(test.body.request.url).toContain(`click_id=${clickId}`);
    const conversion = await app.api<{ payout: string; clickId: string }>('GET', `/api/conversions/${test.body.conversionId}`);
    expect(conversion.body).toMatchObject({ payout: '3.250000', clickId });

    const unknownClick = await app.api<{ outcome: string }>('POST', `/api/networks/${setup.networkId}/test-postback`, {});
    expect(unknownClick.body.outcome).toBe('unattributed');
  });

  it('reports the guard that refuses a test postback', async () => {
    const network = await app.api<{ id: string }>('POST', '/api/networks', {
      name: 'Guarded',
      adapter: 'generic',
      guards: { ipAllowlist: ['203.0.113.0/24'] },
    });
    const test = await app.api<{ statusCode: number; outcome: string; guards: { passed: boolean; refusedBy: string } }>(
      'POST',
      `/api/networks/${network.body.id}/test-postback`,
      {},
    );
    expect(test.body).toMatchObject({ statusCode: 403, outcome: 'refused', guards: { passed: false, refusedBy: 'ip_not_allowed' } });
  });

  it('refuses bad test-postback input with a 400 naming the parameter, and an unknown network with a 404', async () => {
    const bad = await app.api<{ param: string }>('POST', `/api/networks/${setup.networkId}/test-postback`, { payout: 'lots' });
    expect(bad).toMatchObject({ status: 400, body: { param: 'payout' } });
    const missing = await app.api('POST', '/api/networks/00000000-0000-4000-8000-000000000000/test-postback', {});
    expect(missing.status).toBe(404);
  });

  it("sends a test delivery and shows the source's real answer", async () => {
    const ok = await app.api<{ ok: boolean; statusCode: number; responseExcerpt: string; latencyMs: number; request: { url: string } }>(
      'POST',
      `/api/traffic-sources/${setup.trafficSourceId}/test-delivery`,
      { payout: '4.00', externalId: 'ext-test' },
    );
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ ok: true, statusCode: 200, responseExcerpt: 'OK from source' });
    expect(ok.body.latencyMs).toBeGreaterThanOrEqual(0);
    const hit = (await receiver.waitFor(1)).find((r) => r.query.get('ext') === 'ext-test');
    expect(hit?.query.get('payout')).toBe('4');
    expect(hit?.headers['x-postwire-test']).toBe('1');

    const broken = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'Broken', postbackUrl: `${receiver.url}/broken?e={external_id}` });
    const failed = await app.api<{ ok: boolean; statusCode: number; responseExcerpt: string }>(
      'POST',
      `/api/traffic-sources/${broken.body.id}/test-delivery`,
      {},
    );
    expect(failed.body).toMatchObject({ ok: false, statusCode: 500, responseExcerpt: 'source says no' });

    const bad = await app.api<{ param: string }>('POST', `/api/traffic-sources/${setup.trafficSourceId}/test-delivery`, { status: 'great' });
    expect(bad).toMatchObject({ status: 400, body: { param: 'status' } });
  });

  it('traces a conversion: click, postbacks, status history and delivery attempts on one timeline', async () => {
    const clickId = await click(app, setup.campaignId, 'external_id=trace-1&sub1=banner');
    const first = (await fetch(`${app.url}/postback?click_id=${clickId}&payout=2&status=pending&txid=t1`).then((r) => r.json())) as { conversion_id: string };
    await fetch(`${app.url}/postback?click_id=${clickId}&payout=2&status=approved&txid=t1`);
    await receiver.waitFor(1);
    let trace:
      | {
          click: { id: string; externalId: string };
          postbacks: Array<{ outcome: string; params: Record<string, string>; adapter: string; guardVerdict: string }>;
          history: Array<{ to: string }>;
          deliveries: Array<{ attempts: Array<{ statusCode: number; latencyMs: number }> }>;
          timeline: Array<{ kind: string }>;
        }
      | undefined;
    await waitUntil(
      async () => {
        trace = (await app.api<NonNullable<typeof trace>>('GET', `/api/conversions/${first.conversion_id}/trace`)).body;
        return trace.deliveries.length === 2 && trace.deliveries.every((d) => d.attempts.length > 0);
      },
      10_000,
      'both deliveries of the conversion to have an attempt',
    );
    expect(trace!.click).toMatchObject({ id: clickId, externalId: 'trace-1' });
    expect(trace!.postbacks.map((p) => p.outcome)).toEqual(['accepted', 'updated']);
    expect(trace!.postbacks[0]).toMatchObject({ adapter: 'generic', guardVerdict: 'passed', params: { status: 'pending', txid: 't1' } });
    expect(trace!.history.map((h) => h.to)).toEqual(['pending', 'approved']);
    expect(trace!.deliveries).toHaveLength(2);
    expect(trace!.deliveries[0].attempts[0].statusCode).toBe(200);
    const kinds = trace!.timeline.map((e) => e.kind);
    expect(kinds[0]).toBe('click');
    expect(kinds).toEqual(expect.arrayContaining(['postback', 'status', 'delivery_attempt']));
    expect((await app.api('GET', '/api/conversions/not-an-id/trace')).status).toBe(404);
  });

  it('alerts when unattributed postbacks rise, and not before', async () => {
    type Alerts = { alerts: Array<{ kind: string; subjectId: string; action: string }> };
    const before = await app.api<Alerts>('GET', '/api/alerts');
    expect(before.status).toBe(200);
    expect(before.body.alerts.filter((a) => a.kind === 'postbacks_rising')).toEqual([]);
    for (let i = 0; i < 5; i++) await fetch(`${app.url}/postback?click_id=nobody-${i}&payout=1`);
    const after = await app.api<Alerts>('GET', '/api/alerts');
    expect(after.body.alerts).toEqual([
      expect.objectContaining({ kind: 'postbacks_rising', subjectId: 'unattributed', action: expect.stringContaining('{click_id}') }),
    ]);
  });
});
