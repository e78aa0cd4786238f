import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { Client } from 'pg';
import { PERSONAL_DATA_REMOVED } from '@postwire/plugin-sdk';
import { loadFixtures } from '@postwire/plugin-sdk/testing';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { signGet } from '../libs/security/src';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { click, getJson, setUpCampaign } from './support/scenario';
import { waitUntil } from './support/wait-until';

const PLUGINS_DIR = join(__dirname, '..', 'plugins');
const fixture = (adapter: string, file: string) => loadFixtures(join(PLUGINS_DIR, adapter, 'fixtures')).find((f) => f.file.endsWith(file))!.fixture;

interface Row {
  outcome: string;
  reasonCode: string;
  reason: string | null;
  httpStatus: number | null;
  method: string | null;
  path: string | null;
  ip: string | null;
  networkId: string | null;
  clickId: string | null;
  params: Record<string, unknown>;
}
interface Page {
  items: Row[];
  total: number;
  totalIsLowerBound: boolean;
  limit: number;
  offset: number;
}

/**
 * Issue 21 §1: every refused postback reaches GET /api/postbacks with its reason, through real HTTP to a
 * tracker on PostgreSQL and Redis. The tracker trusts 127.0.0.1 as its proxy, so each test sends from an
 * address of its own (X-Forwarded-For) and finds its rows by it.
 */
describe('refused postbacks in the postback log', () => {
  let app: PostwireProcess;
  let drop: () => Promise<void>;
  let databaseUrl: string;
  const IP_LIMIT = 6;
  const NETWORK_LIMIT = 3;
  let address = 0;
  const nextIp = () => `198.51.100.${++address}`;
  const from = (ip: string, init: RequestInit = {}): RequestInit => ({
    ...init,
    headers: { ...(init.headers as Record<string, string>), 'x-forwarded-for': ip },
  });
  /** The log filtered by `query`, once it holds at least `atLeast` rows: a refusal is answered first and written right after. */
  const logOf = async (query: string, atLeast = 1) => {
    let body: Page | undefined;
    await waitUntil(
      async () => {
        const res = await app.api<Page>('GET', `/api/postbacks?${query}`);
        expect(res.status).toBe(200);
        body = res.body;
        // Refusals are answered first and written after, in their own batch: wait until the rows themselves are listed.
        return body.items.length >= atLeast;
      },
      15_000,
      `${atLeast} row(s) for ${query}`,
      20,
    );
    return body!;
  };

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    databaseUrl = database.url;
    app = await PostwireProcess.start({
      entry: 'tracker',
      env: {
        DATABASE_URL: database.url,
        QUEUE_PREFIX: 'pwrefused' + randomBytes(4).toString('hex'),
        TRUST_PROXY: '127.0.0.1/32',
        RATE_LIMIT_IP_PER_MIN: String(IP_LIMIT),
        RATE_LIMIT_NETWORK_PER_MIN: String(NETWORK_LIMIT),
      },
    });
  });

  afterAll(async () => {
    await app?.dispose();
    await drop?.();
  });

  async function network(body: Record<string, unknown>): Promise<{ id: string; slug: string }> {
    const slug = `net-${randomBytes(4).toString('hex')}`;
    const res = await app.api<{ id: string; slug: string }>('POST', '/api/networks', { name: slug, slug, adapter: 'generic', ...body });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('Digistore24 with a bad signature: 401, logged as bad_signature with the signature masked and the buyer’s data removed', async () => {
    const passphrase = require(join(PLUGINS_DIR, 'digistore24/fixtures/make-fixtures.js')).PASSPHRASE as string;
    const net = await network({ adapter: 'digistore24', adapterConfig: { passphrase } });
    const ipn = fixture('digistore24', '09-wrong-passphrase.json');
    const ip = nextIp();
    const res = await fetch(
      `${app.url}/postback/${net.slug}`,
      from(ip, { method: 'POST', headers: { 'content-type': ipn.request.contentType! }, body: ipn.request.body as string }),
    );
    expect(res.status).toBe(401);

    const page = await logOf(`reason=bad_signature&networkId=${net.id}`);
    expect(page).toMatchObject({ total: 1, totalIsLowerBound: false, limit: 50, offset: 0 });
    const [row] = page.items;
    expect(row).toMatchObject({
      outcome: 'refused',
      reasonCode: 'bad_signature',
      httpStatus: 401,
      method: 'POST',
      path: `/postback/${net.slug}`,
      ip,
      networkId: net.id,
    });
    const body = row.params.body as Record<string, unknown>;
    expect(body.sha_sign).toBe('***');
    expect(body.email).toBe(PERSONAL_DATA_REMOVED);
    expect(body.order_id).toBe('RJXCW823');
    expect(JSON.stringify(row.params)).not.toContain('936D539FC67C60DEA96C5CDD2CE6C0AA');
  });

  it('Everflow with a decimal comma: 400 naming payout, logged as bad_parameter', async () => {
    const net = await network({ adapter: 'everflow' });
    const query = fixture('everflow', 'comma-payout.json').request.query as Record<string, string>;
    const ip = nextIp();
    const res = await getJson(`${app.url}/postback/${net.slug}?${new URLSearchParams(query)}`, from(ip));
    expect(res).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'payout' } });
    const page = await logOf(`q=${ip}`);
    expect(page.items).toEqual([
      expect.objectContaining({ outcome: 'refused', reasonCode: 'bad_parameter', reason: 'bad_parameter:payout', httpStatus: 400, networkId: net.id }),
    ]);
    expect(page.items[0].params).toMatchObject({ payout: '12,34', transaction_id: query.transaction_id });
  });

  it('an address outside the allowlist: 403, logged as ip_refused with the click it named', async () => {
    const net = await network({ guards: { ipAllowlist: ['203.0.113.0/24'] } });
    const ip = nextIp();
    expect((await getJson(`${app.url}/postback/${net.slug}?click_id=abc123&payout=1`, from(ip))).status).toBe(403);
    expect((await logOf(`q=${ip}&reason=ip_refused`)).items).toEqual([
      expect.objectContaining({ outcome: 'refused', reasonCode: 'ip_refused', httpStatus: 403, clickId: 'abc123', networkId: net.id }),
    ]);
    // Search by the click id finds it too; another reason does not.
    expect((await logOf(`q=abc123&networkId=${net.id}`)).total).toBe(1);
    expect((await logOf(`q=${ip}&reason=bad_key`, 0)).total).toBe(0);
  });

  it('a wrong API key: 401, logged as bad_key with the key masked', async () => {
    const net = await network({ guards: { requireApiKey: true } });
    const ip = nextIp();
    const res = await getJson(`${app.url}/postback/${net.slug}?click_id=k1&key=pw_net_${'A'.repeat(43)}`, from(ip));
    expect(res).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
    const [row] = (await logOf(`q=${ip}`)).items;
    expect(row).toMatchObject({ reasonCode: 'bad_key', httpStatus: 401, params: { click_id: 'k1', key: '***' } });
  });

  it('a replayed signed request: the copy is refused 401 and logged as replayed, the original as accepted', async () => {
    const setup = await setUpCampaign(app, 'http://127.0.0.1:9', { networkSlug: `signed-${randomBytes(3).toString('hex')}` });
    const slug = (await app.api<{ slug: string }>('GET', `/api/networks/${setup.networkId}`)).body.slug;
    expect((await app.api('PATCH', `/api/networks/${setup.networkId}`, { guards: { requireSignature: true } })).status).toBe(200);
    const secret = (await app.api<{ secret: string }>('POST', `/api/networks/${setup.networkId}/signing-secrets`, {})).body.secret;
    const clickId = await click(app, setup.campaignId);
    const path = `/postback/${slug}`;
    const query = { click_id: clickId, payout: '2', ts: String(Math.floor(Date.now() / 1000)) };
    const url = `${app.url}${path}?${new URLSearchParams({ ...query, sig: signGet(secret, 'GET', path, query) })}`;
    const ip = nextIp();
    // The click is written a few ms after its redirect; the first postback is retried until it is.
    let first = await getJson(url, from(ip));
    for (let i = 0; i < 20 && first.body.status === 'unattributed'; i++) {
      await new Promise((r) => setTimeout(r, 100));
      first = await getJson(url, from(ip));
    }
    expect(first).toMatchObject({ status: 200 });
    expect(await getJson(url, from(ip))).toMatchObject({ status: 401, body: { error: 'replayed' } });
    const page = await logOf(`q=${clickId}&outcome=refused`);
    expect(page.items.map((r) => [r.reasonCode, r.httpStatus, r.params.sig])).toEqual([['replayed', 401, '***']]);

    // The conversion's trace lists both requests that named its click, and says which one the guards refused.
    const conversionId = (first.body as { conversion_id: string }).conversion_id;
    const trace = await app.api<{ postbacks: Array<{ outcome: string; reasonCode: string; guardVerdict: string }>; postbacksCut: boolean }>(
      'GET',
      `/api/conversions/${conversionId}/trace`,
    );
    expect(trace.status).toBe(200);
    expect(trace.body.postbacks.map((p) => [p.outcome, p.reasonCode, p.guardVerdict])).toEqual([
      ['accepted', 'accepted', 'passed'],
      ['refused', 'replayed', 'refused'],
    ]);
    expect(trace.body.postbacksCut).toBe(false);

    // A click named by more requests than a trace shows: the newest are shown, and the trace says it was cut.
    const db = new Client({ connectionString: databaseUrl });
    await db.connect();
    try {
      await db.query(
        `INSERT INTO postbacks (received_at, channel, network_id, click_id, params, ip, outcome, reason_code, http_status, expires)
         SELECT now(), 's2s', network_id, click_id, params, ip, outcome, reason_code, http_status, expires
         FROM postbacks, generate_series(1, 500) WHERE click_id = $1 AND outcome = 'refused'`,
        [clickId],
      );
    } finally {
      await db.end();
    }
    const cut = await app.api<{ postbacks: Array<{ outcome: string }>; postbacksCut: boolean }>('GET', `/api/conversions/${conversionId}/trace`);
    expect(cut.status).toBe(200);
    expect(cut.body.postbacksCut).toBe(true);
    expect(cut.body.postbacks).toHaveLength(500);
    // The newest 500: every one is a refusal, the accepted first request is the one left out.
    expect(cut.body.postbacks.every((p) => p.outcome === 'refused')).toBe(true);
  });

  it('rate-limited by the network’s budget and by the address’s: 429, logged as rate_limited', async () => {
    const net = await network({});
    const statuses: number[] = [];
    const ips: string[] = [];
    for (let i = 0; i <= NETWORK_LIMIT; i++) {
      ips.push(nextIp());
      statuses.push((await fetch(`${app.url}/postback/${net.slug}?click_id=rl${i}`, from(ips[i]))).status);
    }
    expect(statuses).toEqual([...new Array(NETWORK_LIMIT).fill(200), 429]);
    expect((await logOf(`networkId=${net.id}&reason=rate_limited`)).items).toEqual([
      expect.objectContaining({ outcome: 'refused', httpStatus: 429, ip: ips[NETWORK_LIMIT], clickId: `rl${NETWORK_LIMIT}` }),
    ]);

    // One address over its own budget, on the pixel: refused by the request hook before any route, logged all the same.
    const ip = nextIp();
    for (let i = 0; i < IP_LIMIT; i++) expect((await fetch(`${app.url}/pixel.gif?click_id=px${i}`, from(ip))).status).toBe(200);
    expect((await fetch(`${app.url}/pixel.gif?click_id=pxover`, from(ip))).status).toBe(429);
    expect((await logOf(`q=${ip}&outcome=refused`)).items).toEqual([
      expect.objectContaining({ reasonCode: 'rate_limited', httpStatus: 429, path: '/pixel.gif', clickId: 'pxover', networkId: null }),
    ]);
  });

  it('raises a postbacks_refused alert per network, and exports the filtered rows as CSV', async () => {
    const alerts = await app.api<{ alerts: Array<{ kind: string; subjectId: string; message: string }> }>('GET', '/api/alerts');
    const refused = alerts.body.alerts.filter((a) => a.kind === 'postbacks_refused');
    expect(refused.length).toBeGreaterThanOrEqual(5);
    expect(refused.map((a) => a.message).join('\n')).toMatch(/1 postback to net-[0-9a-f]+ refused in the last hour \(bad signature 1\)/);

    const all = await logOf('outcome=refused', 7);
    const csv = await fetch(`${app.url}/api/postbacks?outcome=refused&format=csv`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split('\r\n');
    expect(lines[0]).toMatch(/^id,receivedAt,channel,networkId,clickId,txid,ip,method,path,httpStatus,outcome,reasonCode,reason,/);
    expect(lines).toHaveLength(all.total + 1);
    expect(lines.filter((l) => l.includes(',bad_signature,'))).toHaveLength(1);
  });

  it('names the bad filter parameter', async () => {
    expect(await app.api('GET', '/api/postbacks?reason=nope')).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'reason' } });
    expect(await app.api('GET', '/api/postbacks?limit=501')).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'limit' } });
    expect(await app.api('GET', '/api/postbacks?from=2026-02-01&to=2026-01-01')).toMatchObject({ status: 400, body: { param: 'to' } });
  });
});
