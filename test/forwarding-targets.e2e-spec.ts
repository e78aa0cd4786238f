import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { hashPersonalData } from '../libs/plugin-sdk/src';
import { metaRequestProblems } from '../plugins/meta-capi/meta-request-rules';
import { forwardingSettled } from './support/forwarding-settled';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson, setUpCampaign } from './support/scenario';

/**
 * A traffic source forwarding to the Meta Conversions API through the admin API and the real queue: the target
 * chosen with a masked token, a click carrying an fbclid, a postback with the buyer's email, and a fake Meta on
 * loopback that validates each request against Meta's documented rules (plugins/meta-capi/meta-request-rules.ts).
 */
describe('forwarding targets', () => {
  let app: PostwireProcess;
  let meta: Receiver;
  let drop: () => Promise<void>;
  const problems: string[][] = [];

  beforeAll(async () => {
    meta = await Receiver.start();
    meta.respondWith((req) => {
      const found = metaRequestProblems(
        { method: req.method, path: new URL(req.url, 'http://meta').pathname, authorization: req.headers.authorization, body: req.body },
        Date.now(),
      );
      problems.push(found);
      return found.length
        ? { status: 400, body: JSON.stringify({ error: { code: 100, message: found.join('; ') } }) }
        : { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ events_received: 1, messages: [], fbtrace_id: 'e2e' }) };
    });
    const database = await createPostgresDatabase();
    drop = database.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: database.url } });
  });

  afterAll(async () => {
    await app?.dispose();
    await meta?.close();
    await drop?.();
  });

  it('lists the built-in postback URL target and the Meta plugin', async () => {
    const listed = await app.api<Array<{ id: string; events: string[]; configSchema: Record<string, { secret?: boolean }> }>>('GET', '/api/forwarding-targets');
    expect(listed.status).toBe(200);
    const meta = listed.body.find((t) => t.id === 'meta-capi')!;
    expect(listed.body.map((t) => t.id)).toEqual(expect.arrayContaining(['postback-url', 'meta-capi']));
    expect(meta.events).toContain('Purchase');
    expect(meta.configSchema.accessToken.secret).toBe(true);
  });

  it('forwards a conversion to Meta exactly once, with the email hashed, and previews the same request', async () => {
    const setup = await setUpCampaign(app, meta.url);
    const target = `/api/traffic-sources/${setup.trafficSourceId}/target`;
    expect(await app.api('GET', target)).toMatchObject({ status: 200, body: { targetId: 'postback-url', config: {}, mapping: [] } });
    const config = { pixelId: '998877', accessToken: 'EAAB-e2e-token', apiBaseUrl: meta.url };
    expect(await app.api('PUT', target, { targetId: 'nope', config })).toMatchObject({ status: 400, body: { param: 'targetId' } });
    expect(await app.api('PUT', target, { targetId: 'meta-capi', config: { accessToken: 'x' } })).toMatchObject({
      status: 400,
      body: { param: 'config.pixelId' },
    });
    expect(await app.api('PUT', target, { targetId: 'meta-capi', config, mapping: [{ status: 'approved', event: 'Buy' }] })).toMatchObject({
      status: 400,
      body: { param: 'mapping.0.event' },
    });
    const mapping = [
      { status: 'approved', event: 'Purchase' },
      { status: 'declined', event: null },
    ];
    const saved = await app.api<{ config: Record<string, unknown> }>('PUT', target, { targetId: 'meta-capi', config, mapping });
    expect(saved.status).toBe(200);
    expect(saved.body.config).toMatchObject({ pixelId: '998877', accessToken: '••••••' });
    expect(JSON.stringify((await app.api('GET', target)).body)).not.toContain('EAAB');
    const audit = await app.api<{ items: Array<{ entityId: string; action: string; after: unknown }> }>(
      'GET',
      `/api/audit-log?entityType=trafficSource&entityId=${setup.trafficSourceId}`,
    );
    expect(audit.body.items).toEqual(
      expect.arrayContaining([expect.objectContaining({ action: 'edit', after: { target: expect.objectContaining({ targetId: 'meta-capi' }) } })]),
    );
    expect(JSON.stringify(audit.body)).not.toContain('EAAB');
    // Sent back masked, the token is kept.
    expect((await app.api('PUT', target, { targetId: 'meta-capi', config: saved.body.config, mapping })).status).toBe(200);

    // A target change is an edit of the source: checked against the version it was read with, and bumps it.
    const read = await app.api<{ version: number }>('GET', target);
    const source = await app.api<{ version: number }>('GET', `/api/traffic-sources/${setup.trafficSourceId}`);
    expect(read.body.version).toBe(source.body.version);
    const stale = await app.api('PUT', target, {
      targetId: 'meta-capi',
      config: { ...saved.body.config, pixelId: '111' },
      mapping,
      version: read.body.version - 1,
    });
    expect(stale).toMatchObject({ status: 409, body: { error: 'version_conflict', param: 'version' } });
    expect((await app.api('GET', target)).body).toMatchObject({ config: { pixelId: '998877' }, version: read.body.version });
    expect(await app.api('PUT', target, { targetId: 'meta-capi', config: saved.body.config, mapping, version: read.body.version })).toMatchObject({
      status: 200,
      body: { targetId: 'meta-capi', version: read.body.version + 1 },
    });
    expect(await app.api('PUT', target, { targetId: 'meta-capi', config: saved.body.config, mapping, version: 'x' })).toMatchObject({
      status: 400,
      body: { param: 'version' },
    });

    const clickId = await click(app, setup.campaignId, 'external_id=ext-1&fbclid=IwAR-e2e-1&landing_url=https%3A%2F%2Fshop.example%2Flp');
    const posted = await getJson(`${app.url}/postback?click_id=${clickId}&status=approved&payout=9.90&email=Buyer%40Example.com`);
    expect(posted.status).toBe(200);
    const settled = await forwardingSettled(app, { clickId });
    expect(settled).toEqual([expect.objectContaining({ status: 'delivered', attempts: 1 })]);
    expect(meta.requests).toHaveLength(1);
    expect(problems).toEqual([[]]);
    const logged = await app.api<{ items: Array<Record<string, unknown>> }>('GET', `/api/deliveries?clickId=${clickId}`);
    expect(logged.body.items).toEqual([
      expect.objectContaining({ status: 'delivered', targetId: 'meta-capi', targetEvent: 'Purchase', alert: false, body: meta.requests[0].body }),
    ]);
    const event = (JSON.parse(meta.requests[0].body) as { data: Array<{ event_id: string; user_data: Record<string, unknown> } & Record<string, unknown>> })
      .data[0];
    expect(event).toMatchObject({ event_name: 'Purchase', action_source: 'website', event_source_url: 'https://shop.example/lp', custom_data: { value: 9.9 } });
    expect(event.user_data.fbc).toMatch(/^fb\.1\.\d{13}\.IwAR-e2e-1$/);
    expect(event.user_data.em).toEqual([hashPersonalData({ email: 'buyer@example.com' }).email!.lowercase]);
    expect(meta.requests[0].headers.authorization).toBe('Bearer EAAB-e2e-token');

    const conversionId = event.event_id;
    const preview = await app.api<{ sent: boolean; event: string; request: { body: string; headers: Record<string, string> } }>('POST', `${target}/preview`, {
      conversionId,
    });
    expect(preview.status).toBe(200);
    expect(preview.body).toMatchObject({ sent: true, event: 'Purchase' });
    expect(preview.body.request.body).toContain(hashPersonalData({ email: 'buyer@example.com' }).email!.lowercase!);
    expect(preview.body.request.body).not.toMatch(/buyer@/i);
    expect(preview.body.request.headers.authorization).not.toContain('EAAB');
    const dropped = await app.api<{ sent: boolean; reason: string }>('POST', `${target}/preview`, {
      conversionId,
      target: { targetId: 'meta-capi', config: saved.body.config, mapping: [{ status: 'approved', event: null }] },
    });
    expect(dropped.body).toMatchObject({ sent: false, reason: 'the event mapping sends nothing for status "approved" and the default goal' });
    expect(await app.api('POST', `${target}/preview`, { conversionId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({
      status: 400,
      body: { param: 'conversionId' },
    });
    expect(meta.requests).toHaveLength(1);
  });

  it("sends a test delivery through the target: not sent without Meta's test event code, then in Meta's test mode", async () => {
    const setup = await setUpCampaign(app, meta.url);
    const target = `/api/traffic-sources/${setup.trafficSourceId}/target`;
    const test = `/api/traffic-sources/${setup.trafficSourceId}/test-delivery`;
    const config = { pixelId: '998877', accessToken: 'EAAB-e2e-token', apiBaseUrl: meta.url, websiteUrl: 'https://shop.example/' };
    expect((await app.api('PUT', target, { targetId: 'meta-capi', config })).status).toBe(200);
    const before = meta.requests.length;
    const refusal = 'not sent: a test conversion is sent to Meta only with a test event code (setting testEventCode)';
    // Without a test event code Meta would count the test as a real Purchase: nothing is sent, and the answer says why.
    expect(await app.api('POST', test, { dryRun: true })).toMatchObject({ status: 200, body: { ok: false, request: null, error: refusal } });
    expect(await app.api('POST', test, {})).toMatchObject({ status: 200, body: { ok: false, deliveryId: null, request: null, error: refusal } });
    expect(meta.requests).toHaveLength(before);

    expect((await app.api('PUT', target, { targetId: 'meta-capi', config: { ...config, testEventCode: 'TEST4242' } })).status).toBe(200);
    const shown = await app.api<{ ok: boolean; request: { url: string; body: string } }>('POST', test, { dryRun: true });
    expect(shown.body).toMatchObject({ ok: true, request: { method: 'POST', url: `${meta.url}/v21.0/998877/events` } });
    expect(JSON.parse(shown.body.request.body)).toMatchObject({ test_event_code: 'TEST4242' });
    expect(meta.requests).toHaveLength(before);

    const sent = await app.api<{ ok: boolean; deliveryId: string; statusCode: number }>('POST', test, { payout: '4.20' });
    expect(sent.body).toMatchObject({ ok: true, statusCode: 200, error: null });
    expect(meta.requests).toHaveLength(before + 1);
    expect(problems[problems.length - 1]).toEqual([]);
    const payload = JSON.parse(meta.requests[before].body) as { test_event_code: string; data: Array<{ event_id: string; custom_data: { value: number } }> };
    expect(payload.test_event_code).toBe('TEST4242');
    expect(payload.data[0]).toMatchObject({ event_id: sent.body.deliveryId, custom_data: { value: 4.2 } });
    const logged = await app.api<{ items: Array<{ id: string; isTest: boolean }> }>(
      'GET',
      `/api/deliveries?test=true&trafficSourceId=${setup.trafficSourceId}`,
    );
    expect(logged.body.items.map((d) => d.id)).toEqual([sent.body.deliveryId]);
  });
});
