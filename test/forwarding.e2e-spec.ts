import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { forwardingSettled } from './support/forwarding-settled';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { Receiver, type ReceivedRequest } from './support/receiver';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitFor } from './support/wait-until';
import { listItems } from './support/paged';

interface Source {
  id: string;
  method: string;
  bodyFormat: string;
  goals: string[] | null;
  statuses: string[] | null;
  payoutShare: unknown;
  headers: Record<string, string>;
  timeoutMs: number | null;
  retrySchedule: string | null;
  enabled: boolean;
  signingSecrets: number;
  failing: boolean;
  failingSince: string | null;
  deadDeliveries: number;
}

interface Delivery {
  id: string;
  status: string;
  url: string;
  headers: Record<string, string>;
  attempts: Array<{ statusCode: number | null; url: string }>;
  attemptCount: number;
  lastStatusCode: number | null;
}

/**
 * Forwarding features over HTTP against the built app: per-source settings, Standard Webhooks
 * signing with rotation, masking in the delivery log, retry and replay, metrics and the queue board.
 */
describe('forwarding features', () => {
  let app: PostwireProcess;
  let receiver: Receiver;

  beforeAll(async () => {
    receiver = await Receiver.start();
    app = await PostwireProcess.start({ database: 'postgres', env: { FORWARD_RETRY_SCHEDULE: '0,300ms,300ms', SECRETS_KEY: randomBytes(32).toString('hex') } });
  });

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
  });

  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.respondWith(() => ({ status: 200, body: 'ok' }));
  });

  async function convert(setup: Setup, query = '', clickQuery?: string): Promise<string> {
    const clickId = await click(app, setup.campaignId, clickQuery);
    const res = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&payout=10${query}`);
    expect(res.status).toBe(200);
    return res.body.conversion_id;
  }

  async function deliveryOf(conversionId: string, status?: string): Promise<Delivery> {
    const list = await waitFor(
      async () => {
        const res = await listItems<Delivery>(app, `/api/deliveries?conversionId=${conversionId}`);
        expect(res).toHaveLength(1);
        return res;
      },
      (body) => !status || body[0].status === status,
      15_000,
      (last) => `delivery is ${last?.[0]?.status}, expected ${status}`,
    );
    return (await app.api<Delivery>('GET', `/api/deliveries/${list[0].id}`)).body;
  }

  describe('traffic source settings', () => {
    it('creates with every setting, shows them back, and changes them with PATCH', async () => {
      const created = await app.api<Source>('POST', '/api/traffic-sources', {
        name: 'Native',
        postbackUrl: `${receiver.url}/pb?c={external_id}`,
        method: 'POST',
        bodyFormat: 'form',
        goals: ['', 'deposit'],
        statuses: ['approved'],
        payoutShare: { type: 'percent', value: '70' },
        headers: { 'X-Account': 'acct-1' },
        timeoutMs: 5000,
        retrySchedule: '0,5s,300s',
      });
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        method: 'POST',
        bodyFormat: 'form',
        goals: ['', 'deposit'],
        statuses: ['approved'],
        payoutShare: { type: 'percent', value: '70' },
        headers: { 'x-account': 'acct-1' },
        timeoutMs: 5000,
        retrySchedule: '0,5s,5m',
        enabled: true,
        signingSecrets: 0,
        failing: false,
        failingSince: null,
        deadDeliveries: 0,
      });
      const patched = await app.api<Source>('PATCH', `/api/traffic-sources/${created.body.id}`, {
        payoutShare: { type: 'fixed', value: '1.20', currency: 'usd' },
        statuses: null,
        retrySchedule: null,
        enabled: false,
      });
      expect(patched.status).toBe(200);
      expect(patched.body).toMatchObject({
        payoutShare: { type: 'fixed', value: '1.2', currency: 'USD' },
        statuses: null,
        retrySchedule: null,
        enabled: false,
        timeoutMs: 5000,
        goals: ['', 'deposit'],
      });
      expect((await app.api<Source>('GET', `/api/traffic-sources/${created.body.id}`)).body).toEqual(patched.body);
      expect((await app.api('PATCH', '/api/traffic-sources/00000000-0000-4000-8000-000000000000', { enabled: true })).status).toBe(404);
    });

    it.each([
      [{ payoutShare: { type: 'percent', value: '150' } }, 'payoutShare.value'],
      [{ payoutShare: { type: 'half' } }, 'payoutShare.type'],
      [{ headers: { 'Idempotency-Key': 'x' } }, 'headers.Idempotency-Key'],
      [{ headers: { 'bad header': 'x' } }, 'headers.bad header'],
      [{ headers: { 'x-a': 'line\r\nbreak' } }, 'headers.x-a'],
      [{ retrySchedule: '0,5 parsecs' }, 'retrySchedule'],
      [{ timeoutMs: 50 }, 'timeoutMs'],
      [{ statuses: ['maybe'] }, 'statuses.0'],
      [{ method: 'PUT' }, 'method'],
      [{ postbackUrl: 'http://10.1.2.3/pb' }, 'postbackUrl'],
    ])('answers 400 naming the field for %p', async (patch, param) => {
      const source = await app.api<Source>('POST', '/api/traffic-sources', { name: 'S', postbackUrl: `${receiver.url}/pb` });
      const res = await app.api<{ error: string; param: string }>('PATCH', `/api/traffic-sources/${source.body.id}`, patch);
      expect(res).toMatchObject({ status: 400, body: { error: 'bad_parameter', param } });
      const created = await app.api<{ param: string }>('POST', '/api/traffic-sources', { name: 'S', postbackUrl: `${receiver.url}/pb`, ...patch });
      expect(created).toMatchObject({ status: 400, body: { param } });
    });

    it('forwards with the payout share, method, body format, headers and goal filter it is set to', async () => {
      const setup = await setUpCampaign(app, receiver.url);
      await app.api('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, {
        method: 'POST',
        bodyFormat: 'form',
        payoutShare: { type: 'percent', value: '40' },
        headers: { 'x-account': 'acct-7' },
        goals: ['deposit'],
      });
      await convert(setup, '&goal=registration');
      const conversionId = await convert(setup, '&goal=deposit&txid=dep-1');
      const [hit] = await receiver.waitFor(1);
      expect(hit.method).toBe('POST');
      expect(hit.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(hit.headers['x-account']).toBe('acct-7');
      expect(hit.query.get('payout')).toBe('4');
      const form = new URLSearchParams(hit.body);
      expect(form.get('payout')).toBe('4');
      expect(form.get('txid')).toBe('dep-1');
      expect(form.get('goal')).toBe('deposit');
      await deliveryOf(conversionId, 'delivered');
      await forwardingSettled(app, { conversionId });
      expect(receiver.requests).toHaveLength(1);
    });
  });

  describe('signing', () => {
    it('signs with Standard Webhooks, rotates secrets and revokes them', async () => {
      const setup = await setUpCampaign(app, receiver.url, { method: 'POST' });
      const first = await app.api<{ id: string; secret: string }>('POST', `/api/traffic-sources/${setup.trafficSourceId}/signing-secrets`);
      expect(first.status).toBe(201);
      expect(first.body.secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
      const listed = await app.api<Array<Record<string, unknown>>>('GET', `/api/traffic-sources/${setup.trafficSourceId}/signing-secrets`);
      expect(listed.body).toEqual([{ id: first.body.id, createdAt: expect.any(String), revokedAt: null }]);
      expect(JSON.stringify(listed.body)).not.toContain('whsec_');

      // Retries carry the same webhook-id (the delivery id), each with a fresh signature.
      receiver.respondWith((_req, i) => ({ status: i === 0 ? 500 : 200 }));
      const conversionId = await convert(setup);
      const [failed, ok] = await receiver.waitFor(2);
      const delivery = await deliveryOf(conversionId, 'delivered');
      for (const hit of [failed, ok]) {
        expect(hit.headers['webhook-id']).toBe(delivery.id);
        expect(hit.headers['idempotency-key']).toBe(delivery.id);
        expect(verify(hit, first.body.secret)).toMatchObject({ conversion_id: conversionId, status: 'approved' });
      }

      // During a rotation both secrets sign; after revoking the old one only the new one does.
      const second = await app.api<{ id: string; secret: string }>('POST', `/api/traffic-sources/${setup.trafficSourceId}/signing-secrets`);
      receiver.requests.length = 0;
      receiver.respondWith(() => ({ status: 200 }));
      await convert(setup);
      const [rotating] = await receiver.waitFor(1);
      expect(String(rotating.headers['webhook-signature']).split(' ')).toHaveLength(2);
      expect(verify(rotating, first.body.secret)).toBeTruthy();
      expect(verify(rotating, second.body.secret)).toBeTruthy();

      const revoked = await app.api<{ revokedAt: string }>('DELETE', `/api/traffic-sources/${setup.trafficSourceId}/signing-secrets/${first.body.id}`);
      expect(revoked.status).toBe(200);
      expect(revoked.body.revokedAt).toEqual(expect.any(String));
      expect((await app.api('DELETE', `/api/traffic-sources/${setup.trafficSourceId}/signing-secrets/${first.body.id}`)).status).toBe(404);
      receiver.requests.length = 0;
      await convert(setup);
      const [after] = await receiver.waitFor(1);
      expect(String(after.headers['webhook-signature']).split(' ')).toHaveLength(1);
      expect(verify(after, second.body.secret)).toBeTruthy();
      expect(() => verify(after, first.body.secret)).toThrow();
      expect((await app.api<Source>('GET', `/api/traffic-sources/${setup.trafficSourceId}`)).body.signingSecrets).toBe(1);
    });

    it('signs GET postbacks over the request target', async () => {
      const setup = await setUpCampaign(app, receiver.url);
      const secret = (await app.api<{ secret: string }>('POST', `/api/traffic-sources/${setup.trafficSourceId}/signing-secrets`)).body.secret;
      await convert(setup);
      const [hit] = await receiver.waitFor(1);
      expect(new Webhook(secret).verify(hit.url, hit.headers as Record<string, string>, { jsonParse: false })).toBeUndefined();
      expect(() => new Webhook(secret).verify(hit.url.replace('payout=', 'payout=9'), hit.headers as Record<string, string>, { jsonParse: false })).toThrow();
    });

    function verify(hit: ReceivedRequest, secret: string): unknown {
      return new Webhook(secret).verify(hit.body, hit.headers as Record<string, string>);
    }
  });

  describe('delivery log, retry and replay', () => {
    it('masks secrets in the URLs and headers it shows', async () => {
      const setup = await setUpCampaign(app, receiver.url, { postbackPath: '/pb' });
      await app.api('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, {
        postbackUrl: `${receiver.url}/pb?ext={external_id}&api_key=TOPSECRET&payout={payout}`,
        headers: { authorization: 'Bearer HEADERSECRET', 'x-campaign': 'spring' },
      });
      const conversionId = await convert(setup);
      const [hit] = await receiver.waitFor(1);
      expect(hit.query.get('api_key')).toBe('TOPSECRET');
      expect(hit.headers.authorization).toBe('Bearer HEADERSECRET');
      const delivery = await deliveryOf(conversionId, 'delivered');
      const shown = JSON.stringify([delivery, (await app.api('GET', `/api/deliveries?trafficSourceId=${setup.trafficSourceId}`)).body]);
      expect(shown).not.toContain('TOPSECRET');
      expect(shown).not.toContain('HEADERSECRET');
      expect(delivery.url).toContain('api_key=***&payout=');
      expect(delivery.attempts[0].url).toContain('api_key=***');
      expect(delivery.headers).toEqual({ authorization: '***', 'x-campaign': 'spring' });
    });

    it('filters the delivery log, and an id that is not one matches nothing', async () => {
      const setup = await setUpCampaign(app, receiver.url);
      const conversionId = await convert(setup);
      await deliveryOf(conversionId, 'delivered');
      const bySource = await listItems<Delivery>(app, `/api/deliveries?trafficSourceId=${setup.trafficSourceId}&status=delivered`);
      expect(bySource.map((d) => d.status)).toEqual(['delivered']);
      expect(await listItems<Delivery>(app, `/api/deliveries?trafficSourceId=${setup.trafficSourceId}&status=dead`)).toEqual([]);
      const none = { items: [], total: 0, totalIsLowerBound: false, limit: 50, offset: 0 };
      expect(await app.api('GET', '/api/deliveries?trafficSourceId=nope')).toEqual({ status: 200, body: none });
      expect(await app.api('GET', '/api/deliveries?conversionId=nope')).toEqual({ status: 200, body: none });
      expect((await app.api<{ param: string }>('GET', '/api/deliveries?status=lost')).body.param).toBe('status');
    });

    it('retries one delivery now, with its Idempotency-Key unchanged', async () => {
      const setup = await setUpCampaign(app, receiver.url);
      const conversionId = await convert(setup);
      await receiver.waitFor(1);
      const delivered = await deliveryOf(conversionId, 'delivered');
      const retry = await app.api<{ id: string; status: string; enqueued: boolean }>('POST', `/api/deliveries/${delivered.id}/retry`);
      expect(retry).toEqual({ status: 200, body: { id: delivered.id, status: 'pending', enqueued: true } });
      const [first, again] = await receiver.waitFor(2);
      expect(again.headers['idempotency-key']).toBe(first.headers['idempotency-key']);
      expect((await deliveryOf(conversionId, 'delivered')).attemptCount).toBe(2);
      expect((await app.api('POST', '/api/deliveries/00000000-0000-4000-8000-000000000000/retry')).status).toBe(404);
      expect((await app.api('POST', '/api/deliveries/not-an-id/retry')).status).toBe(404);
      await app.api('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, { enabled: false });
      expect((await app.api<{ error: string }>('POST', `/api/deliveries/${delivered.id}/retry`)).body).toMatchObject({ error: 'traffic_source_disabled' });
    });

    it('replays the dead deliveries of a range with the source’s fixed URL, and flags the failures', async () => {
      receiver.respondWith(() => ({ status: 500, body: 'down' }));
      const setup = await setUpCampaign(app, receiver.url, { postbackPath: '/broken' });
      const from = new Date(Date.now() - 1000).toISOString();
      const conversions = [await convert(setup), await convert(setup)];
      const dead = await Promise.all(conversions.map((c) => deliveryOf(c, 'dead')));
      expect(dead.map((d) => d.attemptCount)).toEqual([3, 3]);
      const failing = (await app.api<Source>('GET', `/api/traffic-sources/${setup.trafficSourceId}`)).body;
      // Six failed attempts in a row: failing at once (SOURCE_FAILING_AFTER_FAILURES, 5), not after 24 hours.
      expect(failing).toMatchObject({ failing: true, failingReason: 'consecutive_failures', deadDeliveries: 2 });
      expect(failing.failingSince).toEqual(expect.any(String));
      const to = new Date(Date.now() + 1000).toISOString();

      await app.api('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, { postbackUrl: `${receiver.url}/fixed?ext={external_id}&status={status}` });
      receiver.requests.length = 0;
      receiver.respondWith(() => ({ status: 200 }));
      const replay = await app.api<{ replayed: number; enqueued: number }>('POST', '/api/deliveries/replay', {
        trafficSourceId: setup.trafficSourceId,
        from,
        to,
        status: 'dead',
      });
      expect(replay).toMatchObject({ status: 200, body: { replayed: 2, enqueued: 2, status: 'dead' } });
      const hits = await receiver.waitFor(2);
      expect(hits.every((h) => h.url.startsWith('/fixed?ext=ext-123&status=approved'))).toBe(true);
      expect(new Set(hits.map((h) => h.headers['idempotency-key']))).toEqual(new Set(dead.map((d) => d.id)));
      for (const conversionId of conversions) {
        const delivery = await deliveryOf(conversionId, 'delivered');
        expect(delivery.attempts.map((a) => a.statusCode)).toEqual([500, 500, 500, 200]);
      }
      expect((await app.api<Source>('GET', `/api/traffic-sources/${setup.trafficSourceId}`)).body).toMatchObject({
        failing: false,
        failingSince: null,
        deadDeliveries: 0,
      });
      // Nothing dead is left in the range: a second replay of dead ones finds none.
      expect(
        (await app.api<{ replayed: number }>('POST', '/api/deliveries/replay', { trafficSourceId: setup.trafficSourceId, from, to, status: 'dead' })).body
          .replayed,
      ).toBe(0);
    });

    it.each([
      [{ from: '2024-01-02T00:00:00Z', to: '2024-01-01T00:00:00Z' }, 'to'],
      [{ from: 'yesterday', to: '2024-01-01T00:00:00Z' }, 'from'],
      [{ from: '2024-01-01', to: '2024-01-02', status: 'lost' }, 'status'],
      [{ from: '2024-01-01', to: '2024-01-02', trafficSourceId: 'nope' }, 'trafficSourceId'],
    ])('refuses a replay of %p naming %s', async (body, param) => {
      const res = await app.api<{ param: string }>('POST', '/api/deliveries/replay', { trafficSourceId: '00000000-0000-4000-8000-000000000000', ...body });
      expect(res).toMatchObject({ status: 400, body: { param } });
    });

    it('answers 404 for a replay of an unknown traffic source', async () => {
      const res = await app.api('POST', '/api/deliveries/replay', {
        trafficSourceId: '00000000-0000-4000-8000-000000000000',
        from: '2024-01-01',
        to: '2024-01-02',
      });
      expect(res.status).toBe(404);
    });
  });

  describe('operator views', () => {
    it('serves Prometheus metrics to admin and read keys only', async () => {
      const setup = await setUpCampaign(app, receiver.url);
      await convert(setup);
      await receiver.waitFor(1);
      // 410 Gone ends a delivery at once: one dead delivery for this source.
      receiver.respondWith(() => ({ status: 410 }));
      await deliveryOf(await convert(setup), 'dead');
      expect((await fetch(`${app.url}/metrics`)).status).toBe(401);
      expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
      const res = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      const text = await res.text();
      expect(metric(text, 'postwire_delivery_attempts_total{outcome="delivered",status_class="2xx"}')).toBeGreaterThanOrEqual(1);
      expect(metric(text, 'postwire_delivery_attempt_duration_seconds_count{outcome="delivered"}')).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/^postwire_deliveries_pending \d+$/m);
      expect(text).toMatch(/^postwire_delivery_queue_jobs\{state="waiting"\} \d+$/m);
      expect(metric(text, `postwire_deliveries_dead{traffic_source_id="${setup.trafficSourceId}"}`)).toBe(1);
      expect(metric(text, 'postwire_delivery_attempts_total{outcome="dead",status_class="4xx"}')).toBeGreaterThanOrEqual(1);
      expect(text).toMatch(/^process_cpu_user_seconds_total /m);

      const read = await app.api<{ key: string }>('POST', '/api/api-keys', { scope: 'read', label: 'prometheus' });
      expect(read.status).toBe(201);
      expect((await fetch(`${app.url}/metrics`, { headers: { authorization: basic(read.body.key) } })).status).toBe(200);
    });

    it('shows the queue board behind an admin key, which a browser can send as Basic auth', async () => {
      const anonymous = await fetch(`${app.url}/admin/queues`);
      expect(anonymous.status).toBe(401);
      expect(anonymous.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
      expect((await fetch(`${app.url}/admin/queues`, { headers: { authorization: basic('wrong-key') } })).status).toBe(401);
      expect((await fetch(`${app.url}/admin/queues/api/queues`)).status).toBe(401);

      const page = await fetch(`${app.url}/admin/queues`, { headers: { authorization: basic(ADMIN_KEY) } });
      expect(page.status).toBe(200);
      expect(await page.text()).toMatch(/<html/i);
      const api = await getJson<{ queues: Array<{ name: string }> }>(`${app.url}/admin/queues/api/queues`, {
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(api.status).toBe(200);
      expect(api.body.queues.map((q) => q.name)).toEqual(['deliveries']);

      const read = await app.api<{ key: string }>('POST', '/api/api-keys', { scope: 'read' });
      expect((await fetch(`${app.url}/admin/queues`, { headers: { authorization: basic(read.body.key) } })).status).toBe(403);
      // The board's guard does not leak onto the rest of the app.
      expect((await fetch(`${app.url}/health`)).status).toBe(200);
    });
  });
});

function basic(password: string): string {
  return 'Basic ' + Buffer.from(`operator:${password}`).toString('base64');
}

function metric(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(series + ' '));
  if (!line) throw new Error(`no ${series} in\n${text}`);
  return Number(line.slice(series.length + 1));
}
