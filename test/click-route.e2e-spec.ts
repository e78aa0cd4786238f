import { Client } from 'pg';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { setUpCampaign, type Setup } from './support/scenario';

/** helmet's hardening headers, on every answer of the click link (security-headers.ts). */
const HARDENING = {
  'cross-origin-opener-policy': 'same-origin',
  'cross-origin-resource-policy': 'cross-origin',
  'origin-agent-cluster': '?1',
  'referrer-policy': 'no-referrer',
  'strict-transport-security': 'max-age=31536000; includeSubDomains',
  'x-content-type-options': 'nosniff',
  'x-dns-prefetch-control': 'off',
  'x-download-options': 'noopen',
  'x-frame-options': 'SAMEORIGIN',
  'x-permitted-cross-domain-policies': 'none',
  'x-xss-protection': '0',
};
const JSON_TYPE = 'application/json; charset=utf-8';
const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** Every header of an answer but the transport's own, with the click id (it differs per click) written as ID. */
function headersOf(res: Response): Record<string, string> {
  const transport = new Set(['date', 'connection', 'keep-alive', 'transfer-encoding']);
  const out: Record<string, string> = {};
  res.headers.forEach((value, name) => {
    if (!transport.has(name)) out[name] = value.replace(/pw_click=[0-9a-z]{30}/, 'pw_click=ID').replace(/cid=[0-9a-z]{30}/, 'cid=ID');
  });
  return out;
}

/**
 * The click link is a plain Fastify route (click-route.ts), outside Nest's per-request pipeline. These pin
 * every header and body it answers with to what the Nest controller answered (recorded from it), and that
 * each click keeps the offer its campaign sent it to across an edit of the campaign's offer (migration 028).
 */
describe('the click route', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let db: Client;
  let drop: () => Promise<void>;
  let setup: Setup;
  const get = (path: string, method = 'GET') => fetch(`${app.url}${path}`, { method, redirect: 'manual' });
  const count = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1', [setup.campaignId])).rows[0].n;

  beforeAll(async () => {
    receiver = await Receiver.start();
    const database = await createPostgresDatabase();
    drop = database.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: database.url } });
    db = new Client({ connectionString: database.url });
    await db.connect();
    setup = await setUpCampaign(app, receiver.url);
  });

  afterAll(async () => {
    await db?.end();
    await app?.dispose();
    await receiver?.close();
    await drop?.();
  });

  it('answers a click with the 302, its cookie and the hardening headers, exactly', async () => {
    const res = await get(`/c/${setup.campaignId}?sub1=x`);
    expect(res.status).toBe(302);
    expect(await res.text()).toBe('');
    expect(headersOf(res)).toEqual({
      ...HARDENING,
      'cache-control': 'no-store',
      'set-cookie': 'pw_click=ID; Max-Age=2592000; Path=/; HttpOnly; SameSite=Lax',
      location: `https://offer.example/land?cid=ID&camp=${setup.campaignId}&s1=x`,
      'content-length': '0',
    });
  });

  it('answers HEAD with the same redirect, no cookie and no click id, and stores nothing', async () => {
    const before = await count();
    const res = await get(`/c/${setup.campaignId}?sub1=x`, 'HEAD');
    expect(res.status).toBe(302);
    expect(headersOf(res)).toEqual({
      ...HARDENING,
      'cache-control': 'no-store',
      location: `https://offer.example/land?cid=&camp=${setup.campaignId}&s1={sub1}`,
      'content-length': '0',
    });
    expect(await count()).toBe(before);
  });

  it.each([
    ['an unknown campaign', `/c/${UNKNOWN}`, 404, { error: 'unknown_campaign', message: `No campaign with id "${UNKNOWN}". Check the campaign link.` }],
    ['a campaign id that is no id', `/c/nope`, 404, { error: 'unknown_campaign', message: 'No campaign with id "nope". Check the campaign link.' }],
  ])('refuses %s with a 404 in the one error shape', async (_what, path, status, body) => {
    const res = await get(path);
    expect(res.status).toBe(status);
    expect(await res.json()).toEqual(body);
    expect(headersOf(res)).toEqual({ ...HARDENING, 'content-type': JSON_TYPE, 'content-length': expect.stringMatching(/^\d+$/) });
  });

  it.each([
    // Refused by the handler's parameter rules.
    ['a repeated sub id', '?sub1=a&sub1=b', { error: 'bad_parameter', param: 'sub1', message: 'sub1: given more than once; send one value' }, {}],
    // Refused by the input guard before the handler runs (it also marks its refusals uncacheable).
    [
      'a control character',
      '?sub2=%07',
      { error: 'bad_parameter', param: 'sub2', message: 'sub2: contains control characters (NUL, line breaks, escapes)' },
      { 'cache-control': 'no-store' },
    ],
  ])('refuses %s with a 400 naming the parameter, storing nothing', async (_what, query, body, extra) => {
    const before = await count();
    const res = await get(`/c/${setup.campaignId}${query}`);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual(body);
    expect(headersOf(res)).toEqual({ ...HARDENING, ...extra, 'content-type': JSON_TYPE, 'content-length': expect.stringMatching(/^\d+$/) });
    expect(await count()).toBe(before);
  });

  it("stores each click with the offer its campaign sent it to, across a change of the campaign's offer", async () => {
    const clickId = async () => new URL((await get(`/c/${setup.campaignId}`)).headers.get('location')!).searchParams.get('cid')!;
    const first = await clickId();
    const next = await app.api<{ id: string }>('POST', '/api/offers', {
      name: 'Next offer',
      networkId: setup.networkId,
      url: 'https://next.example/?cid={click_id}',
    });
    expect(next.status).toBe(201);
    const campaign = await app.api<{ version: number }>('GET', `/api/campaigns/${setup.campaignId}`);
    const edited = await app.api('PATCH', `/api/campaigns/${setup.campaignId}`, { version: campaign.body.version, offerId: next.body.id });
    expect(edited.status).toBe(200);
    const second = await clickId();
    const { rows } = await db.query<{ id: string; offer_id: string }>('SELECT id, offer_id FROM clicks WHERE id = ANY($1::text[])', [[first, second]]);
    expect(Object.fromEntries(rows.map((r) => [r.id, r.offer_id]))).toEqual({ [first]: setup.offerId, [second]: next.body.id });
  });
});
