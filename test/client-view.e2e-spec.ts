import { ConsoleSession } from './support/console-session';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitFor } from './support/wait-until';

const PASSWORD = 'client-password-123';

interface Trace {
  click: Record<string, unknown> & { enrichment?: Record<string, unknown> };
  postbacks: Array<Record<string, unknown>>;
  deliveries: Array<Record<string, unknown> & { attempts: Array<Record<string, unknown>> }>;
  timeline: Array<{ kind: string; summary: string }>;
}

/**
 * What a client sees (docs/security.md#what-a-client-sees): by default no traffic-source name, URL or
 * credentials, no visitor IP or user agent and no raw postback parameters, in every answer; an
 * admin allows each on the user, and the same answers then hold them.
 */
describe('what a client sees', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let setup: Setup;
  let conversionId: string;
  let client: ConsoleSession;
  let userId: string;

  beforeAll(async () => {
    receiver = await Receiver.start();
    app = await PostwireProcess.start({ database: 'postgres' });
    setup = await setUpCampaign(app, receiver.url, { postbackPath: '/pb-secret-path' });
    const clickId = await click(app, setup.campaignId, 'gclid=Cj0-client-view-gclid');
    const res = await getJson<{ conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&payout=10&txid=tx-1&secret_param=raw-value`);
    conversionId = res.body.conversion_id;
    await waitFor(
      async () => (await app.api<{ items: Array<{ status: string }> }>('GET', `/api/deliveries?conversionId=${conversionId}`)).body.items,
      (list) => list[0]?.status === 'delivered',
      15_000,
      () => 'the delivery',
    );
    const user = await app.api<{ id: string; clientSees: string[] }>('POST', '/api/users', {
      email: 'advertiser@example.com',
      password: PASSWORD,
      role: 'client',
      campaignIds: [setup.campaignId],
    });
    expect(user.status).toBe(201);
    expect(user.body.clientSees).toEqual([]);
    userId = user.body.id;
    client = new ConsoleSession(app);
    expect((await client.signIn('advertiser@example.com', PASSWORD)).status).toBe(200);
  });

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
  });

  it('shows the admin everything', async () => {
    const trace = (await app.api<Trace>('GET', `/api/conversions/${conversionId}/trace`)).body;
    expect(trace.click).toMatchObject({ ip: expect.any(String), userAgent: expect.any(String), adIds: { gclid: 'Cj0-client-view-gclid' } });
    expect(trace.postbacks[0].params).toMatchObject({ secret_param: 'raw-value' });
    expect(trace.deliveries[0]).toMatchObject({ trafficSourceName: 'Push Source', url: expect.stringContaining('/pb-secret-path') });
  });

  it("leaves the source, the visitor and the raw parameters out of a client's trace, deliveries, postback log and reports", async () => {
    const res = await client.request<Trace>('GET', `/api/conversions/${conversionId}/trace`);
    expect(res.status).toBe(200);
    const trace = res.body;
    expect(trace.click).not.toHaveProperty('ip');
    expect(trace.click).not.toHaveProperty('userAgent');
    expect(trace.click).not.toHaveProperty('adIds');
    expect(trace.postbacks[0]).not.toHaveProperty('params');
    expect(trace.postbacks[0]).not.toHaveProperty('canonical');
    expect(trace.postbacks[0]).not.toHaveProperty('ip');
    expect(trace.postbacks[0]).toMatchObject({ outcome: 'accepted' });
    expect(trace.deliveries[0]).not.toHaveProperty('trafficSourceName');
    expect(trace.deliveries[0]).not.toHaveProperty('url');
    expect(trace.deliveries[0]).toMatchObject({ status: 'delivered' });
    expect(trace.deliveries[0].attempts[0]).not.toHaveProperty('url');
    expect(trace.deliveries[0].attempts[0]).toMatchObject({ statusCode: 200 });
    const text = JSON.stringify(trace);
    for (const secret of ['Push Source', 'pb-secret-path', 'raw-value', '127.0.0.1', 'Cj0-client-view-gclid'])
      expect([secret, text.includes(secret)]).toEqual([secret, false]);
    expect(trace.timeline.some((e) => e.kind === 'delivery_attempt' && e.summary.startsWith('traffic source: 200'))).toBe(true);

    const deliveries = JSON.stringify((await client.request('GET', `/api/deliveries?conversionId=${conversionId}`)).body);
    expect(deliveries).toContain('delivered');
    expect(deliveries).not.toContain('pb-secret-path');
    const postbacks = await client.request<Array<Record<string, unknown>>>('GET', `/api/postbacks?campaignId=${setup.campaignId}`);
    expect(postbacks.status).toBe(200);
    expect(JSON.stringify(postbacks.body)).not.toContain('raw-value');
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const range = `from=${day(-1)}&to=${day(2)}&groupBy=trafficSource`;
    const report = await client.request('GET', `/api/reports/stats?${range}`);
    expect(report.status).toBe(200);
    expect(JSON.stringify(report.body)).toContain(setup.trafficSourceId);
    expect(JSON.stringify(report.body)).not.toContain('Push Source');
    expect(JSON.stringify((await app.api('GET', `/api/reports/stats?${range}`)).body)).toContain('Push Source');
    const csv = await fetch(`${app.url}/api/reports/stats?${range}&format=csv`, { headers: { cookie: `pw_session=${client.cookie}` } });
    const csvText = await csv.text();
    expect(csvText.split('\r\n')[0]).not.toContain('trafficSourceName');
    expect(csvText).not.toContain('Push Source');
  });

  it('shows each allowed extra once an admin allows it on the user', async () => {
    const current = await app.api<{ version: number }>('GET', `/api/users/${userId}`);
    const bad = await app.api<{ param: string }>('PATCH', `/api/users/${userId}`, { clientSees: ['everything'], version: current.body.version });
    expect(bad.status).toBe(400);
    expect(bad.body.param).toMatch(/^clientSees/);
    const patched = await app.api<{ clientSees: string[] }>('PATCH', `/api/users/${userId}`, {
      clientSees: ['visitor', 'raw_params'],
      version: current.body.version,
    });
    expect(patched.status).toBe(200);
    expect(patched.body.clientSees).toEqual(['visitor', 'raw_params']);

    const trace = (await client.request<Trace>('GET', `/api/conversions/${conversionId}/trace`)).body;
    expect(trace.click).toMatchObject({ ip: expect.any(String), userAgent: expect.any(String) });
    expect(trace.postbacks[0].params).toMatchObject({ secret_param: 'raw-value' });
    expect(trace.deliveries[0]).not.toHaveProperty('trafficSourceName');

    const all = await app.api('PATCH', `/api/users/${userId}`, { clientSees: ['traffic_source', 'visitor', 'raw_params'], version: current.body.version + 1 });
    expect(all.status).toBe(200);
    const full = (await client.request<Trace>('GET', `/api/conversions/${conversionId}/trace`)).body;
    expect(full.deliveries[0]).toMatchObject({ trafficSourceName: 'Push Source', url: expect.stringContaining('/pb-secret-path') });
  });
});
