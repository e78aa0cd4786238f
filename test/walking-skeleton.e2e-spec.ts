import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { forwardingSettled } from './support/forwarding-settled';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson, setUpCampaign } from './support/scenario';
import { waitFor } from './support/wait-until';
import { listItems } from './support/paged';

/**
 * The path every later feature hangs on, driven over HTTP against the built app started as a
 * user starts it: click → 302 → postback → conversion → BullMQ job → the traffic source's
 * postback URL is called → the delivery says delivered. Run on both storage drivers.
 */
describe.each(['embedded PGlite', 'PostgreSQL'])('walking skeleton on %s', (driver) => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let dropDb: (() => Promise<void>) | undefined;

  beforeAll(async () => {
    receiver = await Receiver.start();
    const env: Record<string, string> = { FORWARD_RETRY_SCHEDULE: '0,300ms,300ms' };
    if (driver === 'PostgreSQL') {
      const db = await createPostgresDatabase();
      env.DATABASE_URL = db.url;
      dropDb = db.drop;
    }
    app = await PostwireProcess.start({ env });
  });

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
    await dropDb?.();
  });

  beforeEach(() => {
    receiver.requests.length = 0;
    receiver.respondWith(() => ({ status: 200, body: 'ok' }));
  });

  it('reports health of database and Redis', async () => {
    const health = await getJson<{ status: string; database: { ok: boolean; driver: string }; redis: { ok: boolean } }>(`${app.url}/health`);
    expect(health.status).toBe(200);
    expect(health.body.database).toMatchObject({ ok: true, driver: driver === 'PostgreSQL' ? 'postgres' : 'pglite' });
    expect(health.body.redis.ok).toBe(true);
  });

  it('forwards a converted click to its traffic source, once', async () => {
    const setup = await setUpCampaign(app, receiver.url);
    const clickRes = await fetch(`${app.url}/c/${setup.campaignId}?external_id=ext-123&sub1=banner`, { redirect: 'manual' });
    expect(clickRes.status).toBe(302);
    const location = new URL(clickRes.headers.get('location')!);
    expect(location.origin + location.pathname).toBe('https://offer.example/land');
    expect(location.searchParams.get('camp')).toBe(setup.campaignId);
    expect(location.searchParams.get('s1')).toBe('banner');
    const clickId = location.searchParams.get('cid')!;

    // Exactly as a newcomer first tries it.
    const postback = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&amount=10.00`);
    expect(postback.status).toBe(200);
    expect(postback.body.status).toBe('accepted');
    expect(postback.body.conversion_id).toEqual(expect.any(String));

    const [hit] = await receiver.waitFor(1);
    expect(hit.url.startsWith('/pb?')).toBe(true);
    expect(hit.query.get('ext')).toBe('ext-123');
    expect(hit.query.get('payout')).toBe('2.5'); // the offer's default payout
    expect(hit.query.get('status')).toBe('approved');
    expect(hit.headers['idempotency-key']).toEqual(expect.any(String));

    const conversions = await listItems<{ id: string; revenue: string; payout: string }>(app, `/api/conversions?clickId=${clickId}`);
    expect(conversions).toHaveLength(1);
    expect(conversions[0]).toMatchObject({ id: postback.body.conversion_id, payout: '2.500000', revenue: '10.000000' });

    await expectDelivery(app, postback.body.conversion_id, 'delivered');

    const again = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&amount=10.00`);
    expect(again.body).toEqual({ status: 'duplicate', conversion_id: postback.body.conversion_id });
    await forwardingSettled(app, { clickId });
    expect(receiver.requests).toHaveLength(1);
  });

  it('accepts POSTed form and JSON postbacks', async () => {
    const setup = await setUpCampaign(app, receiver.url);
    const formClick = await click(app, setup.campaignId);
    const form = await getJson<{ status: string }>(`${app.url}/postback`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `clickid=${formClick}&payout=1.25&txid=form-1`,
    });
    expect(form).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const jsonClick = await click(app, setup.campaignId);
    const json = await getJson<{ status: string }>(`${app.url}/postback`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ cid: jsonClick, payout: 3, tid: 'json-1' }),
    });
    expect(json).toMatchObject({ status: 200, body: { status: 'accepted' } });
    const hits = await receiver.waitFor(2);
    expect(hits.map((h) => h.query.get('txid')).sort()).toEqual(['form-1', 'json-1']);
  });

  it('does not count a 3xx from the traffic source as delivered', async () => {
    receiver.respondWith(() => ({ status: 302, headers: { location: 'http://127.0.0.1:1/' } }));
    const setup = await setUpCampaign(app, receiver.url);
    const clickId = await click(app, setup.campaignId);
    const postback = await getJson<{ conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&payout=1`);
    await receiver.waitFor(3);
    const delivery = await expectDelivery(app, postback.body.conversion_id, 'dead');
    expect(delivery.lastStatusCode).toBe(302);
  });

  it('keeps an unknown click id as unattributed', async () => {
    const res = await getJson<{ status: string }>(`${app.url}/postback?click_id=doesnotexist&payout=1`);
    expect(res).toEqual({ status: 200, body: { status: 'unattributed', reason: 'unknown_click' } });
    const log = await app.api<{ items: Array<{ outcome: string; reasonCode: string }> }>('GET', '/api/postbacks?clickId=doesnotexist');
    expect(log.body.items.map((p) => [p.outcome, p.reasonCode])).toEqual([['unattributed', 'unknown_click']]);
  });

  it.each([
    ['payout=abc', 'payout'],
    ['payout=-5', 'payout'],
    ['payout=1e999', 'payout'],
    ['status=maybe', 'status'],
    ['currency=XYZW', 'currency'],
  ])('answers 400 naming the bad parameter for %s', async (query, param) => {
    const res = await getJson<{ error: string; param: string }>(`${app.url}/postback?click_id=x&${query}`);
    expect(res.status).toBe(400);
    expect(res.body.param).toBe(param);
  });

  it('answers 400 naming click_id when it is missing, and for a repeated one', async () => {
    const missing = await getJson<{ param: string }>(`${app.url}/postback?payout=1`);
    expect(missing).toMatchObject({ status: 400, body: { param: 'click_id' } });
    const repeated = await getJson<{ param: string }>(`${app.url}/postback?click_id=a&click_id=b`);
    expect(repeated).toMatchObject({ status: 400, body: { param: 'click_id' } });
  });

  it('answers 404 with a readable body for an unknown campaign', async () => {
    const res = await getJson<{ error: string; message: string }>(`${app.url}/c/00000000-0000-4000-8000-000000000000`, { redirect: 'manual' });
    expect(res.status).toBe(404);
    expect(res.body.message).toMatch(/campaign/i);
  });

  it('refuses the admin API without a valid key', async () => {
    const attempts: Array<Record<string, string>> = [{}, { authorization: 'Bearer wrong' }, { 'x-api-key': 'wrong' }];
    for (const headers of attempts) {
      const res = await getJson<{ error: string }>(`${app.url}/api/networks`, { headers });
      expect(res).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
    }
    const ok = await getJson(`${app.url}/api/networks`, { headers: { 'x-api-key': app.env.ADMIN_API_KEY } });
    expect(ok.status).toBe(200);
  });

  it('gives one network a slug when several ask for it at once, and 409 to the rest', async () => {
    const answers = await Promise.all(
      Array.from({ length: 6 }, () =>
        app.api<{ error?: string }>('POST', '/api/networks', { name: 'Race', slug: `race-${driver === 'PostgreSQL' ? 'pg' : 'lite'}`, adapter: 'generic' }),
      ),
    );
    expect(answers.map((a) => a.status).sort()).toEqual([201, 409, 409, 409, 409, 409]);
    expect(answers.filter((a) => a.status === 409).every((a) => a.body.error === 'slug_taken')).toBe(true);
  });

  it('validates admin input and names the field', async () => {
    const res = await app.api<{ param: string }>('POST', '/api/offers', { name: 'x', networkId: 'nope', url: 'https://a.example' });
    expect(res).toMatchObject({ status: 400, body: { param: 'networkId' } });
    const badUrl = await app.api<{ param: string }>('POST', '/api/traffic-sources', { name: 'x', postbackUrl: 'ftp://x' });
    expect(badUrl).toMatchObject({ status: 400, body: { param: 'postbackUrl' } });
  });
});

async function expectDelivery(
  app: PostwireProcess,
  conversionId: string,
  status: string,
): Promise<{ id: string; status: string; lastStatusCode: number | null }> {
  const list = await waitFor(
    async () => {
      const res = await listItems<{ id: string; status: string; lastStatusCode: number | null }>(app, `/api/deliveries?conversionId=${conversionId}`);
      expect(res).toHaveLength(1);
      return res;
    },
    (body) => body[0].status === status,
    15_000,
    (last) => `delivery is ${last?.[0]?.status}, expected ${status}`,
  );
  return list[0];
}
