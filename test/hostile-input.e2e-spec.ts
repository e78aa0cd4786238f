import fc from 'fast-check';
import { Redis } from 'ioredis';
import { createHash, randomBytes } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { Client } from 'pg';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { signGet } from '../libs/security/src';
import { fuzzRuns, fuzzTimeout } from './support/fuzz-runs';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { click, setUpCampaign, type Setup } from './support/scenario';
import { waitUntil } from './support/wait-until';

/**
 * Every public endpoint (clicks, pixel, postbacks, each adapter) and the admin API get hostile and
 * random requests, over real HTTP, against a running tracker on PostgreSQL. Whatever arrives: no 5xx,
 * a refused request (4xx) changes nothing in the database, and the process stays healthy. The
 * database is compared row by row (counts plus a digest of the rows a refusal could have changed).
 */
describe('hostile input', () => {
  let app: PostwireProcess;
  let db: Client;
  let dropDb: () => Promise<void>;
  let setup: Setup;
  let clickId: string;
  const networks: Array<{ id: string; slug: string }> = [];
  /** Clicks answered with a redirect so far; they are stored a few ms after the answer (ClickWriter). */
  let clicksAnswered = 0;

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    dropDb = database.drop;
    // TRUST_PROXY makes the tracker parse the random X-Forwarded-For values too.
    app = await PostwireProcess.start({
      entry: 'tracker',
      env: { DATABASE_URL: database.url, TRUST_PROXY: '127.0.0.1/32', PLUGINS: join(__dirname, 'fixtures', 'split-postback.plugin.js') },
    });
    db = new Client({ connectionString: database.url });
    await db.connect();
    setup = await setUpCampaign(app, 'http://127.0.0.1:9', { networkSlug: 'plain' });
    clickId = await click(app, setup.campaignId);
    clicksAnswered++;
    networks.push({ id: setup.networkId, slug: 'plain' });
    const guarded = await app.api<{ id: string; slug: string }>('POST', '/api/networks', {
      name: 'Locked',
      slug: 'locked',
      guards: { ipAllowlist: ['203.0.113.0/24'], requireApiKey: true, requireSignature: true },
    });
    networks.push(guarded.body);
    await app.api('POST', `/api/networks/${guarded.body.id}/signing-secrets`, {});
    // One network per installed adapter, with placeholder values for its required settings.
    const plugins = await app.api<{ adapters: Array<{ id: string; configSchema: Record<string, { type: string; required?: boolean }> }> }>(
      'GET',
      '/api/plugins',
    );
    for (const adapter of plugins.body.adapters) {
      const adapterConfig: Record<string, unknown> = {};
      for (const [key, field] of Object.entries(adapter.configSchema)) {
        if (field.required) adapterConfig[key] = field.type === 'boolean' ? true : field.type === 'number' ? 1 : 'placeholder-secret';
      }
      const created = await app.api<{ id: string; slug: string }>('POST', '/api/networks', {
        name: adapter.id,
        slug: `a-${adapter.id}`,
        adapter: adapter.id,
        adapterConfig,
      });
      expect(created.status).toBe(201);
      networks.push(created.body);
    }
  });

  afterAll(async () => {
    await db?.end();
    await app?.dispose();
    await dropDb?.();
  });

  /** Everything a refused request must leave untouched, once every click answered so far is stored. */
  async function snapshot(): Promise<string> {
    await waitUntil(
      async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM clicks')).rows[0].n >= clicksAnswered,
      5000,
      `the ${clicksAnswered} clicks answered so far to be stored`,
      5,
    );
    const { rows } = await db.query(`SELECT
      (SELECT count(*) FROM clicks) AS clicks,
      (SELECT count(*) FROM postbacks WHERE outcome <> 'refused') AS postbacks,
      (SELECT count(*) FROM deliveries) AS deliveries,
      (SELECT count(*) FROM conversion_status_history) AS history,
      (SELECT count(*) FROM offers) AS offers,
      (SELECT count(*) FROM traffic_sources) AS sources,
      (SELECT count(*) FROM campaigns) AS campaigns,
      (SELECT md5(coalesce(string_agg(id || status || coalesce(payout::text, '') || coalesce(revenue::text, '') || revision, ',' ORDER BY id), '')) FROM conversions) AS conversions,
      (SELECT md5(coalesce(string_agg(row_to_json(n)::text, ',' ORDER BY id), '')) FROM networks n) AS networks,
      (SELECT md5(coalesce(string_agg(id || coalesce(revoked_at::text, ''), ',' ORDER BY id), '')) FROM api_keys) AS keys,
      (SELECT md5(coalesce(string_agg(id || coalesce(revoked_at::text, ''), ',' ORDER BY id), '')) FROM network_signing_secrets) AS secrets`);
    return JSON.stringify(rows[0]);
  }

  /**
   * The positive signal an "and nothing changed" check waits for: a click and a pixel postback sent
   * after the requests under test, through the same two paths, are stored (the click writer keeps
   * arrival order; the postback's own log line). Returns `before` with just these two rows added.
   */
  async function afterMarkers(before: string): Promise<string> {
    const marker = `marker-${randomBytes(4).toString('hex')}`;
    expect((await send({ method: 'GET', path: `/c/${setup.campaignId}?sub1=${marker}` })).status).toBe(302);
    clicksAnswered++;
    expect((await send({ method: 'GET', path: `/pixel.gif?click_id=${marker}` })).status).toBe(200);
    await waitUntil(async () => (await db.query('SELECT 1 FROM postbacks WHERE click_id = $1', [marker])).rows.length > 0, 5000, 'the marker postback');
    const counts = JSON.parse(before) as Record<string, number | string>;
    return JSON.stringify({ ...counts, clicks: Number(counts.clicks) + 1, postbacks: Number(counts.postbacks) + 1 });
  }

  /**
   * The snapshot after the last probe, when that probe was refused and so changed nothing: it is the next
   * probe's "before" as it stands, which saves one snapshot per refused probe (most of the thousands the
   * random test sends). Any other request through {@link send} clears it, and so does each new test. A
   * write made another way between two probes would only make the next comparison fail, never pass.
   */
  let unchangedSince: string | undefined;
  beforeEach(() => (unchangedSince = undefined));

  interface Sent {
    method: string;
    path: string;
    headers?: Record<string, string>;
    body?: Buffer | string;
  }

  /** node:http rather than fetch: fetch refuses or repairs much of what an attacker can send. */
  function send(req: Sent): Promise<{ status: number; body: string }> {
    unchangedSince = undefined;
    return new Promise((resolve, reject) => {
      const r = httpRequest(
        { host: '127.0.0.1', port: app.port, method: req.method, path: req.path, headers: req.headers, agent: false, timeout: 10_000 },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', reject);
        },
      );
      r.on('timeout', () => r.destroy(new Error(`no answer within 10 s to ${req.method} ${req.path.slice(0, 100)}`)));
      // The server may answer (413) and close before a large body is written; the answer is what counts.
      r.on('error', (error: NodeJS.ErrnoException) => (error.code === 'EPIPE' || error.code === 'ECONNRESET' ? undefined : reject(error)));
      if (req.body !== undefined) r.write(req.body);
      r.end();
    });
  }

  /** Sends one request and checks the two invariants. */
  async function probe(req: Sent): Promise<{ status: number; body: string }> {
    const before = unchangedSince ?? (await snapshot());
    const res = await send(req);
    // A HEAD of a click link answers the same 302 but makes no click.
    if (res.status === 302 && req.path.startsWith('/c/') && req.method !== 'HEAD') clicksAnswered++;
    if (res.status >= 500) throw new Error(`${res.status} for ${req.method} ${req.path.slice(0, 200)}: ${res.body.slice(0, 300)}`);
    if (res.status >= 400) {
      const after = await snapshot();
      if (after !== before)
        throw new Error(`refused with ${res.status} but the database changed: ${req.method} ${req.path.slice(0, 200)} ${String(req.body ?? '').slice(0, 200)}`);
      unchangedSince = after;
    }
    return res;
  }

  const json = (body: unknown) => ({ headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const admin = { authorization: `Bearer ${ADMIN_KEY}` };
  const jsonAdmin = (body: unknown) => ({ headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(body) });

  describe('known attacks, each refused with a 4xx naming the problem and nothing stored', () => {
    const cases: Array<[string, () => Sent, number, string?]> = [
      ['repeated click_id', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&click_id=other` }), 400, 'click_id'],
      ['repeated status', () => ({ method: 'GET', path: `/postback/plain?click_id=${clickId}&status=approved&status=declined` }), 400, 'status'],
      ['NaN payout', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&payout=NaN` }), 400, 'payout'],
      ['1e999 amount', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&amount=1e999` }), 400, 'amount'],
      ['negative payout', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&payout=-5` }), 400, 'payout'],
      ['hex payout', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&payout=0x10` }), 400, 'payout'],
      ['Infinity revenue', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&revenue=Infinity` }), 400, 'revenue'],
      ['huge payout', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&payout=${'9'.repeat(40)}` }), 400, 'payout'],
      ['JSON number payout out of range', () => ({ method: 'POST', path: '/postback', ...json({ click_id: clickId, payout: 1e300 }) }), 400, 'payout'],
      ['unknown currency', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&currency=XYZ` }), 400, 'currency'],
      ['status that maps to nothing', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&status=maybe` }), 400, 'status'],
      ['over-long value', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&goal=${'g'.repeat(2049)}` }), 400, 'goal'],
      ['too many parameters', () => ({ method: 'GET', path: `/postback?${Array.from({ length: 80 }, (_, i) => `p${i}=1`).join('&')}` }), 400],
      ['newline in a value', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&txid=a%0D%0Afake-log-line` }), 400, 'txid'],
      ['ANSI escape', () => ({ method: 'GET', path: `/postback/plain?click_id=${clickId}&goal=%1B%5B31mPWNED` }), 400, 'goal'],
      ['invalid UTF-8 in the query', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&goal=%C3%28` }), 400, 'goal'],
      [
        'lone surrogate in JSON',
        () => ({ method: 'POST', path: '/postback', headers: { 'content-type': 'application/json' }, body: `{"click_id":"${clickId}","goal":"\\ud800"}` }),
        400,
        'goal',
      ],
      [
        'invalid UTF-8 body',
        () => ({
          method: 'POST',
          path: '/postback',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: Buffer.from([0x63, 0x69, 0x64, 0x3d, 0xff, 0xfe]),
        }),
        400,
        'body',
      ],
      ['__proto__ query key', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&__proto__=x` }), 400, '__proto__'],
      ['constructor[prototype] query key', () => ({ method: 'GET', path: `/postback?click_id=${clickId}&constructor=x` }), 400, 'constructor'],
      [
        '__proto__ in JSON',
        () => ({
          method: 'POST',
          path: '/postback',
          headers: { 'content-type': 'application/json' },
          body: `{"click_id":"${clickId}","__proto__":{"status":"declined"}}`,
        }),
        400,
      ],
      [
        'constructor.prototype in JSON',
        () => ({ method: 'POST', path: '/postback/plain', ...json({ click_id: clickId, constructor: { prototype: { status: 'declined' } } }) }),
        400,
      ],
      [
        '__proto__ in a form body',
        () => ({
          method: 'POST',
          path: '/postback',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: `__proto__=1&click_id=${clickId}&status=bogus`,
        }),
        400,
        'status',
      ],
      ['invalid JSON', () => ({ method: 'POST', path: '/postback', headers: { 'content-type': 'application/json' }, body: '{"click_id":' }), 400, 'body'],
      [
        'JSON nested 10 000 deep',
        () => ({ method: 'POST', path: '/postback/plain', headers: { 'content-type': 'application/json' }, body: '['.repeat(10_000) + ']'.repeat(10_000) }),
        400,
      ],
      [
        'body over 64 KB',
        () => ({
          method: 'POST',
          path: '/postback',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ click_id: clickId, pad: 'x'.repeat(70_000) }),
        }),
        413,
        'body',
      ],
      ['XML body', () => ({ method: 'POST', path: '/postback', headers: { 'content-type': 'application/xml' }, body: '<x/>' }), 415],
      [
        'multipart body',
        () => ({ method: 'POST', path: '/postback/plain', headers: { 'content-type': 'multipart/form-data; boundary=b' }, body: '--b--' }),
        415,
      ],
      ['HEAD on a postback URL', () => ({ method: 'HEAD', path: `/postback?click_id=${clickId}&payout=3` }), 405],
      ['unknown network', () => ({ method: 'GET', path: `/postback/no-such-network?click_id=${clickId}` }), 404],
      ['malformed percent-encoding in the path', () => ({ method: 'GET', path: '/postback/%E0%A4%A' }), 400, 'path'],
      ['over-long network slug', () => ({ method: 'GET', path: `/postback/${'n'.repeat(5000)}` }), 414, 'path'],
      ['huge header', () => ({ method: 'GET', path: `/postback?click_id=${clickId}`, headers: { 'x-junk': 'j'.repeat(20_000) } }), 431],
      ['click with a repeated sub', () => ({ method: 'GET', path: `/c/${setup.campaignId}?sub1=a&sub1=b` }), 400, 'sub1'],
      ['click with a control character', () => ({ method: 'GET', path: `/c/${setup.campaignId}?sub2=%07` }), 400, 'sub2'],
      ['click with an over-long sub', () => ({ method: 'GET', path: `/c/${setup.campaignId}?sub3=${'s'.repeat(3000)}` }), 400, 'sub3'],
      ['click on an unknown campaign', () => ({ method: 'GET', path: '/c/00000000-0000-4000-8000-000000000000' }), 404],
      ['click on a garbage campaign id', () => ({ method: 'GET', path: `/c/${encodeURIComponent("1' OR '1'='1")}` }), 404],
      [
        'admin JSON with __proto__',
        () => ({
          method: 'POST',
          path: '/api/networks',
          headers: { ...admin, 'content-type': 'application/json' },
          body: '{"name":"x","__proto__":{"admin":true}}',
        }),
        400,
      ],
      [
        'admin unknown field',
        () => ({
          method: 'POST',
          path: '/api/networks',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'x', isAdmin: true }),
        }),
        400,
        'isAdmin',
      ],
      [
        'admin array body',
        () => ({ method: 'POST', path: '/api/offers', headers: { ...admin, 'content-type': 'application/json' }, body: '[1,2,3]' }),
        400,
        'body',
      ],
      [
        'admin bad CIDR',
        () => ({
          method: 'PATCH',
          path: `/api/networks/${setup.networkId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ guards: { ipAllowlist: ['0x7f.0.0.1'] } }),
        }),
        400,
        'guards.ipAllowlist[0]',
      ],
      [
        'admin invalid JSON',
        () => ({ method: 'PATCH', path: `/api/networks/${setup.networkId}`, headers: { ...admin, 'content-type': 'application/json' }, body: '{"guards":' }),
        400,
      ],
      ['admin without a key', () => ({ method: 'POST', path: '/api/api-keys', ...json({ scope: 'admin' }) }), 401],
      ['guarded network from a foreign address', () => ({ method: 'GET', path: `/postback/locked?click_id=${clickId}` }), 403],
      [
        'an adapter batch with one broken postback',
        () => ({ method: 'GET', path: `/postback/a-split-postback?click_id=${clickId}&second=missing` }),
        400,
        'click_id',
      ],
      ['an adapter that throws on odd input', () => ({ method: 'GET', path: `/postback/a-split-postback?click_id=${clickId}&explode=x` }), 400],
      // Nested JSON: the flat rules at every depth, on every route, through adapters too.
      [
        'NUL in a nested JSON value',
        () => ({ method: 'POST', path: '/postback', ...json({ click_id: clickId, meta: { note: 'a\u0000b' } }) }),
        400,
        'meta.note',
      ],
      [
        'lone surrogate nested in JSON',
        () => ({
          method: 'POST',
          path: '/postback/plain',
          headers: { 'content-type': 'application/json' },
          body: `{"click_id":"${clickId}","meta":{"n":["ok","\\ud800"]}}`,
        }),
        400,
        'meta.n[1]',
      ],
      [
        'CR/LF in a nested JSON value',
        () => ({ method: 'POST', path: '/postback', ...json({ click_id: clickId, extra: { line: 'a\r\nfake-log-line' } }) }),
        400,
        'extra.line',
      ],
      [
        '3000-character nested JSON value',
        () => ({ method: 'POST', path: '/postback', ...json({ click_id: clickId, extra: { v: 'x'.repeat(3000) } }) }),
        400,
        'extra.v',
      ],
      [
        'nested JSON through an adapter',
        () => ({ method: 'POST', path: '/postback/a-everflow', ...json({ transaction_id: 'T', meta: { n: 'a\u0000' } }) }),
        400,
        'meta.n',
      ],
      [
        'payout 1e400 in JSON',
        () => ({ method: 'POST', path: '/postback', headers: { 'content-type': 'application/json' }, body: `{"click_id":"${clickId}","payout":1e400}` }),
        400,
        'payout',
      ],
      [
        'payout 1e400 beside a nested value',
        () => ({
          method: 'POST',
          path: '/postback',
          headers: { 'content-type': 'application/json' },
          body: `{"click_id":"${clickId}","payout":1e400,"meta":{}}`,
        }),
        400,
        'payout',
      ],
      [
        'an array txid beside a nested value',
        () => ({ method: 'POST', path: '/postback', ...json({ click_id: clickId, txid: ['ORDER-1'], meta: {} }) }),
        400,
        'txid',
      ],
      ['an object payout', () => ({ method: 'POST', path: '/postback/plain', ...json({ click_id: clickId, payout: { value: 999 } }) }), 400, 'payout'],
      [
        'a duplicate JSON key',
        () => ({
          method: 'POST',
          path: '/postback',
          headers: { 'content-type': 'application/json' },
          body: `{"click_id":"${clickId}","status":"declined","status":"approved"}`,
        }),
        400,
        'status',
      ],
      [
        'a duplicate JSON key, escaped and nested',
        () => ({
          method: 'POST',
          path: '/postback/plain',
          headers: { 'content-type': 'application/json' },
          body: `{"click_id":"${clickId}","m":{"a":1,"\\u0061":2}}`,
        }),
        400,
        'm.a',
      ],
      // Admin fields: a 400 naming the field, never a 500, never stored as U+FFFD.
      [
        'admin: NUL in a network name',
        () => ({
          method: 'POST',
          path: '/api/networks',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'a\u0000b' }),
        }),
        400,
        'name',
      ],
      [
        'admin: NUL in an offer URL',
        () => ({
          method: 'POST',
          path: '/api/offers',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'o', networkId: setup.networkId, url: 'https://offer.example/\u0000' }),
        }),
        400,
        'url',
      ],
      [
        'admin: NUL in goals',
        () => ({
          method: 'PATCH',
          path: `/api/traffic-sources/${setup.trafficSourceId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ goals: ['sale', 'x\u0000'] }),
        }),
        400,
        'goals[1]',
      ],
      [
        'admin: NUL in statusMap',
        () => ({
          method: 'PATCH',
          path: `/api/traffic-sources/${setup.trafficSourceId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ statusMap: { approved: '1\u0000' } }),
        }),
        400,
        'statusMap.approved',
      ],
      [
        'admin: lone surrogate in statusMap',
        () => ({
          method: 'PATCH',
          path: `/api/traffic-sources/${setup.trafficSourceId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: '{"statusMap":{"approved":"\\udc00"}}',
        }),
        400,
        'statusMap.approved',
      ],
      [
        'admin: lone surrogate in a header',
        () => ({
          method: 'PATCH',
          path: `/api/traffic-sources/${setup.trafficSourceId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: '{"headers":{"x-token":"a\\ud800"}}',
        }),
        400,
        'headers.x-token',
      ],
      [
        'admin: NUL in a campaign name',
        () => ({
          method: 'POST',
          path: '/api/campaigns',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: '\u0000', trafficSourceId: setup.trafficSourceId, offerId: setup.offerId }),
        }),
        400,
        'name',
      ],
      [
        'admin: invalid UTF-8 bytes in a JSON body',
        () => ({
          method: 'POST',
          path: '/api/networks',
          headers: { ...admin, 'content-type': 'application/json' },
          body: Buffer.concat([Buffer.from('{"name":"a'), Buffer.from([0xff]), Buffer.from('"}')]),
        }),
        400,
        'name',
      ],
      [
        'admin: a duplicate JSON key',
        () => ({
          method: 'PATCH',
          path: `/api/networks/${setup.networkId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: '{"name":"ok","name":"other"}',
        }),
        400,
        'name',
      ],
      ['admin: a date out of range', () => ({ method: 'GET', path: '/api/reports/reconciliation?from=275760-09-13', headers: admin }), 400, 'from'],
      // Dates PostgreSQL cannot take, one currency and day twice, a repeated key: a 400 naming it, never a 500.
      [
        'admin: costs from year -4714',
        () => ({
          method: 'POST',
          path: `/api/campaigns/${setup.campaignId}/costs`,
          ...jsonAdmin({ from: '-004714-01-01T00:00:00Z', to: '2026-01-01T00:00:00Z', amount: '1' }),
        }),
        400,
        'from',
      ],
      [
        'admin: costs to year -100000',
        () => ({
          method: 'POST',
          path: `/api/campaigns/${setup.campaignId}/costs`,
          ...jsonAdmin({ from: '2026-01-01T00:00:00Z', to: '-100000-01-01T00:00:00Z', amount: '1' }),
        }),
        400,
        'to',
      ],
      [
        'admin: costs from a millisecond count in year -100000',
        () => ({
          method: 'POST',
          path: `/api/campaigns/${setup.campaignId}/costs`,
          ...jsonAdmin({ from: -3_217_862_419_200_000, to: '2026-01-01T00:00:00Z', amount: '1' }),
        }),
        400,
        'from',
      ],
      [
        'admin: a currency rate for 0000-01-01',
        () => ({ method: 'PUT', path: '/api/currency-rates', ...jsonAdmin({ rates: [{ currency: 'EUR', day: '0000-01-01', rate: '1.1' }] }) }),
        400,
        'rates.0.day',
      ],
      [
        'admin: the same currency and day twice in one PUT',
        () => ({
          method: 'PUT',
          path: '/api/currency-rates',
          ...jsonAdmin({
            rates: [
              { currency: 'EUR', day: '2026-01-01', rate: '1.1' },
              { currency: 'GBP', day: '2026-01-01', rate: '1.3' },
              { currency: 'eur', day: '2026-01-01', rate: '1.2' },
            ],
          }),
        }),
        400,
        'rates.2.day',
      ],
      ['admin: a repeated query key', () => ({ method: 'GET', path: '/api/postbacks?clickId=a&clickId=b', headers: admin }), 400, 'clickId'],
      // JSON numbers are never rounded through a double: exact, or a 400 that says to send a string.
      [
        'a txid beyond 2^53 as a JSON number',
        () => ({
          method: 'POST',
          path: '/postback',
          headers: { 'content-type': 'application/json' },
          body: `{"click_id":"${clickId}","txid":9007199254740993}`,
        }),
        400,
        'txid',
      ],
      [
        'a long exact payout as a JSON number',
        () => ({
          method: 'POST',
          path: '/postback/plain',
          headers: { 'content-type': 'application/json' },
          body: `{"click_id":"${clickId}","payout":12345678901.123456789}`,
        }),
        400,
        'payout',
      ],
      [
        'a payout written as 1E2 (as "1e3" is refused)',
        () => ({ method: 'POST', path: '/postback', headers: { 'content-type': 'application/json' }, body: `{"click_id":"${clickId}","payout":1E2}` }),
        400,
        'payout',
      ],
      [
        'admin: an offer payout a double would round',
        () => ({
          method: 'POST',
          path: '/api/offers',
          headers: { ...admin, 'content-type': 'application/json' },
          body: `{"name":"o","networkId":"${setup.networkId}","url":"https://offer.example/x","payout":12345678901.123456789}`,
        }),
        400,
        'payout',
      ],
      ['admin: NUL in a log filter', () => ({ method: 'GET', path: '/api/postbacks?clickId=%00', headers: admin }), 400, 'clickId'],
      ['admin: %FF in a log filter', () => ({ method: 'GET', path: '/api/postbacks?clickId=%FF', headers: admin }), 400, 'clickId'],
      ['admin: NUL in a path id', () => ({ method: 'GET', path: '/api/networks/%00', headers: admin }), 400, 'id'],
      // Headers, reserved names and URLs are checked when saved.
      [
        'admin: a non-ASCII header value',
        () => ({
          method: 'PATCH',
          path: `/api/traffic-sources/${setup.trafficSourceId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ headers: { 'x-token': 'café' } }),
        }),
        400,
        'headers.x-token',
      ],
      [
        'admin: a control character in a header value',
        () => ({
          method: 'PATCH',
          path: `/api/traffic-sources/${setup.trafficSourceId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ headers: { 'x-token': 'a\u0007' } }),
        }),
        400,
      ],
      [
        'admin: externalIdParam __proto__',
        () => ({
          method: 'POST',
          path: '/api/campaigns',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'c', trafficSourceId: setup.trafficSourceId, offerId: setup.offerId, externalIdParam: '__proto__' }),
        }),
        400,
        'externalIdParam',
      ],
      [
        'admin: externalIdParam constructor',
        () => ({
          method: 'POST',
          path: '/api/campaigns',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'c', trafficSourceId: setup.trafficSourceId, offerId: setup.offerId, externalIdParam: 'constructor' }),
        }),
        400,
        'externalIdParam',
      ],
      [
        'admin: a slug equal to another network id',
        () => ({
          method: 'PATCH',
          path: `/api/networks/${networks[1].id}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ slug: setup.networkId }),
        }),
        400,
        'slug',
      ],
      [
        'admin: a UUID-shaped slug',
        () => ({
          method: 'POST',
          path: '/api/networks',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'n', slug: '00000000-0000-4000-8000-000000000000' }),
        }),
        400,
        'slug',
      ],
      [
        'admin: a macro as offer host',
        () => ({
          method: 'POST',
          path: '/api/offers',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'o', networkId: setup.networkId, url: 'https://{sub1}/land' }),
        }),
        400,
        'url',
      ],
      [
        'admin: a macro in the offer port',
        () => ({
          method: 'POST',
          path: '/api/offers',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'o', networkId: setup.networkId, url: 'https://offer.example:{sub1}/land' }),
        }),
        400,
        'url',
      ],
      [
        'admin: a macro as postback host',
        () => ({
          method: 'PATCH',
          path: `/api/traffic-sources/${setup.trafficSourceId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ postbackUrl: 'http://{sub1}.example/pb' }),
        }),
        400,
        'postbackUrl',
      ],
      [
        'admin: a macro as scheme',
        () => ({
          method: 'PATCH',
          path: `/api/traffic-sources/${setup.trafficSourceId}`,
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ postbackUrl: '{sub1}://ts.example/pb' }),
        }),
        400,
        'postbackUrl',
      ],
      [
        'admin: CRLF in an offer URL',
        () => ({
          method: 'POST',
          path: '/api/offers',
          headers: { ...admin, 'content-type': 'application/json' },
          body: JSON.stringify({ name: 'o', networkId: setup.networkId, url: 'https://offer.example/x\r\nSet-Cookie: a=b' }),
        }),
        400,
        'url',
      ],
    ];

    // Rows have 3 or 4 items; spreading into one object keeps Jest from taking a missing `param` for a done callback.
    it.each(cases.map(([name, build, status, param]) => ({ name, build, status, param })))('$name', async ({ build, status, param }) => {
      const res = await probe(build());
      expect(res.status).toBe(status);
      if (param !== undefined) expect(JSON.parse(res.body)).toMatchObject({ param });
    });

    it('keeps refused input out of the app log unescaped', () => {
      // The fake line the newline test tried to inject must not start a line of its own.
      expect(app.output).toContain('fake-log-line from the adapter');
      expect(app.output).not.toMatch(/^fake-log-line/m);
      expect(app.output).not.toContain('\u001b[31mPWNED');
    });
  });

  describe('wrong conversions, URLs, HEAD and secrets', () => {
    async function postback(query: string): Promise<{ status: number; body: Record<string, unknown>; text: string }> {
      const res = await probe({ method: 'GET', path: `/postback/plain?${query}` });
      return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown>, text: res.body };
    }
    const conversionOf = async (click: string) =>
      (await db.query('SELECT id, status, payout::text AS payout, txid, revision FROM conversions WHERE click_id = $1', [click])).rows;
    const count = async (table: string) => (await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`)).rows[0].n;

    it('a txid of another click is refused as txid_conflict: nothing changes, nothing leaks', async () => {
      const a = await click(app, setup.campaignId);
      const b = await click(app, setup.campaignId);
      clicksAnswered += 2;
      const first = await postback(`click_id=${a}&txid=ORDER-1&payout=5&status=pending`);
      expect(first.body).toMatchObject({ status: 'accepted' });
      const before = { a: await conversionOf(a), deliveries: await count('deliveries'), history: await count('conversion_status_history') };

      for (const attack of [
        `click_id=${b}&txid=ORDER-1&status=approved&payout=999`,
        `click_id=${b}&txid=ORDER-1&status=declined`,
        `click_id=${b}&txid=ORDER-1`,
      ]) {
        const res = await postback(attack);
        expect(res.status).toBe(200);
        expect(res.body).toEqual({ status: 'rejected', reason: 'txid_conflict' });
        expect(res.text).not.toContain(String(before.a[0].id));
      }
      // A pixel naming click B with A's txid is refused the same way.
      await send({ method: 'GET', path: `/pixel.gif?click_id=${b}&txid=ORDER-1&status=declined` });
      expect(await conversionOf(a)).toEqual(before.a);
      expect(await conversionOf(b)).toEqual([]);
      expect(await count('deliveries')).toBe(before.deliveries);
      expect(await count('conversion_status_history')).toBe(before.history);
      const logged = await db.query('SELECT outcome, reason, conversion_id FROM postbacks WHERE click_id = $1 ORDER BY received_at', [b]);
      expect(logged.rows).toHaveLength(4);
      for (const row of logged.rows) expect(row).toEqual({ outcome: 'rejected', reason: 'txid_conflict', conversion_id: null });

      // Another txid on the conversion's own click is ignored without echoing the stored one.
      const mismatch = await postback(`click_id=${a}&txid=X&status=approved`);
      expect(mismatch.body).toMatchObject({ status: 'ignored', reason: 'txid_mismatch' });
      expect(mismatch.text).not.toContain('ORDER-1');
      // The rightful owner still moves its own conversion.
      expect((await postback(`click_id=${a}&txid=ORDER-1&status=approved`)).body).toMatchObject({ status: 'updated' });
    });

    it('txids beyond 2^53 sent as JSON strings are stored exactly: …992 and …993 are two orders, not a conflict', async () => {
      const a = await click(app, setup.campaignId);
      const b = await click(app, setup.campaignId);
      clicksAnswered += 2;
      for (const [clickOf, txid] of [
        [a, '9007199254740993'],
        [b, '9007199254740992'],
      ]) {
        const res = await probe({
          method: 'POST',
          path: '/postback/plain',
          headers: { 'content-type': 'application/json' },
          body: `{"click_id":"${clickOf}","txid":"${txid}","payout":"12345678901.123456"}`,
        });
        expect([txid, JSON.parse(res.body)]).toEqual([txid, expect.objectContaining({ status: 'accepted' })]);
      }
      const stored = await db.query<{ txid: string; payout: string }>(
        'SELECT txid, payout::text AS payout FROM conversions WHERE click_id = ANY($1) ORDER BY txid',
        [[a, b]],
      );
      expect(stored.rows).toEqual([
        { txid: '9007199254740992', payout: expect.stringMatching(/^12345678901\.123456/) },
        { txid: '9007199254740993', payout: expect.stringMatching(/^12345678901\.123456/) },
      ]);
    });

    async function campaignFor(url: string): Promise<string> {
      const offer = await app.api<{ id: string; url: string }>('POST', '/api/offers', { name: 'URL offer', networkId: setup.networkId, url });
      expect(offer.status).toBe(201);
      const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', {
        name: 'URL campaign',
        trafficSourceId: setup.trafficSourceId,
        offerId: offer.body.id,
      });
      return campaign.body.id;
    }

    it('normalises offer URLs when saved: IDN host, emoji, U+202E, Latin-1 all become an ASCII Location', async () => {
      const offer = await app.api<{ url: string }>('POST', '/api/offers', {
        name: 'IDN',
        networkId: setup.networkId,
        url: 'https://пример.рф/🎁/café?q=\u202e&c={click_id}&s={sub1}',
      });
      expect(offer.status).toBe(201);
      expect(offer.body.url).toBe('https://xn--e1afmkfd.xn--p1ai/%F0%9F%8E%81/caf%C3%A9?q=%E2%80%AE&c={click_id}&s={sub1}');
      const campaign = await campaignFor('https://пример.рф/🎁?c={click_id}&s={sub1}');
      const res = await probe({ method: 'GET', path: `/c/${campaign}?sub1=${encodeURIComponent('ünï 😀')}` });
      expect(res.status).toBe(302);
      const location = (await fetch(`${app.url}/c/${campaign}?sub1=x`, { redirect: 'manual' })).headers.get('location')!;
      clicksAnswered++;
      expect(location).toMatch(/^https:\/\/xn--e1afmkfd\.xn--p1ai\/%F0%9F%8E%81\?c=[0-9a-z]{30}&s=x$/);
    });

    it('redirects an offer URL stored before the check as ASCII, and refuses one it cannot repair without storing the click', async () => {
      const idn = await campaignFor('https://legacy.example/x?c={click_id}');
      const broken = await campaignFor('https://legacy.example/y?c={click_id}');
      await db.query(`UPDATE offers SET url = 'https://пример.рф/ü?c={click_id}' WHERE id = (SELECT offer_id FROM campaigns WHERE id = $1)`, [idn]);
      await db.query(`UPDATE offers SET url = E'https://legacy.example/y\r\nSet-Cookie: a=b' WHERE id = (SELECT offer_id FROM campaigns WHERE id = $1)`, [
        broken,
      ]);
      const ok = await send({ method: 'GET', path: `/c/${idn}` });
      expect(ok.status).toBe(302);
      clicksAnswered++;
      const clicksBefore = await snapshot();
      // Not the visitor's fault: the operator's stored URL is unusable, which is a 503 naming it, not a 500.
      const refused = await send({ method: 'GET', path: `/c/${broken}` });
      expect(refused.status).toBe(503);
      expect(JSON.parse(refused.body)).toMatchObject({ error: 'offer_url_invalid' });
      const expected = await afterMarkers(clicksBefore);
      expect(await snapshot()).toBe(expected);
      // Put the two offers right again: later checks expect every stored URL to be clean.
      await db.query(`UPDATE offers SET url = 'https://legacy.example/fixed' WHERE id IN (SELECT offer_id FROM campaigns WHERE id = ANY($1))`, [[idn, broken]]);
    });

    it('cuts a long sub on code points: no U+FFFD stored, no 500', async () => {
      const sub = `a${'😀'.repeat(300)}`;
      const res = await probe({ method: 'GET', path: `/c/${setup.campaignId}?sub2=${encodeURIComponent(sub)}&sub1=cut-test` });
      expect(res.status).toBe(302);
      await snapshot();
      const { rows } = await db.query<{ sub2: string }>(`SELECT sub2 FROM clicks WHERE sub1 = 'cut-test'`);
      expect(rows[0].sub2).toBe(`a${'😀'.repeat(255)}`);
    });

    it('300 pixel hits with long parameters on one click: the per-click budget records 30 a minute, as a few capped rows and a count', async () => {
      const converted = await click(app, setup.campaignId);
      clicksAnswered++;
      const padding = Array.from({ length: 8 }, (_, i) => `p${i}=${'y'.repeat(1500)}`).join('&');
      const hit = (i: number) =>
        send({ method: 'GET', path: `/pixel.gif?click_id=${converted}&payout=2&${padding}`, headers: { 'x-forwarded-for': `198.51.100.${1 + (i % 250)}` } });
      expect((await hit(0)).status).toBe(200);
      for (let round = 0; round < 30; round++) await Promise.all(Array.from({ length: 10 }, (_, i) => hit(1 + round * 10 + i)));
      const { rows } = await db.query<{ rows: number; repeats: number; bytes: number }>(
        `SELECT count(*)::int AS rows, coalesce(sum(repeats), 0)::int AS repeats, coalesce(sum(octet_length(params::text)), 0)::int AS bytes
         FROM postbacks WHERE click_id = $1 AND outcome NOT IN ('accepted', 'refused')`,
        [converted],
      );
      // RATE_LIMIT_PIXEL_PER_CLICK_PER_MIN (30): the first hit and 29 more in this minute (60 if the minute turned meanwhile).
      expect(rows[0].rows + rows[0].repeats).toBeGreaterThanOrEqual(29);
      expect(rows[0].rows + rows[0].repeats).toBeLessThanOrEqual(59);
      expect(rows[0].rows).toBeLessThanOrEqual(25);
      expect(rows[0].bytes).toBeLessThan(25 * 2048);
    });

    it('HEAD changes nothing: HEAD /pixel.gif books no conversion, HEAD /c/:id records no click', async () => {
      const fresh = await click(app, setup.campaignId);
      clicksAnswered++;
      const before = await snapshot();
      const pixel = await send({ method: 'HEAD', path: `/pixel.gif?click_id=${fresh}&payout=3&goal=head` });
      expect(pixel.status).toBe(200);
      const link = await send({ method: 'HEAD', path: `/c/${setup.campaignId}?sub1=head` });
      expect(link.status).toBe(302);
      const expected = await afterMarkers(before);
      expect(await snapshot()).toBe(expected);
      expect((await send({ method: 'HEAD', path: '/c/00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    });

    it('shows traffic-source secrets to admin keys only', async () => {
      const created = await app.api<{ id: string }>('POST', '/api/traffic-sources', {
        name: 'Secretive',
        postbackUrl: 'http://ts-user:hunter2@127.0.0.1:9/pb?token=tok-123&c={click_id}',
        headers: { Authorization: 'Bearer sekrit-456', 'X-Campaign': 'spring' },
      });
      expect(created.status).toBe(201);
      const read = await app.api<{ key: string }>('POST', '/api/api-keys', { scope: 'read', label: 'viewer' });
      const asRead = async (path: string) => {
        const res = await fetch(`${app.url}${path}`, { headers: { authorization: `Bearer ${read.body.key}` } });
        expect(res.status).toBe(200);
        return res.text();
      };
      for (const text of [await asRead(`/api/traffic-sources/${created.body.id}`), await asRead('/api/traffic-sources')]) {
        expect(text).not.toMatch(/hunter2|tok-123|sekrit-456/);
        expect(text).toContain('spring');
      }
      const asAdmin = await app.api<{ postbackUrl: string; headers: Record<string, string> }>('GET', `/api/traffic-sources/${created.body.id}`);
      expect(asAdmin.body.postbackUrl).toContain('hunter2');
      expect(asAdmin.body.headers.authorization).toBe('Bearer sekrit-456');
    });
  });

  // 1,200 a run: each is checked against a database snapshot, about 20 ms apiece; 4,000 took 90 s of CI's budget.
  const RANDOM_REQUESTS = fuzzRuns(1200);

  it(
    'survives a thousand random and malformed requests (new ones each run): no 5xx, nothing stored when refused',
    async () => {
      const endpoint = fc.oneof(
        fc.constant(`/c/${setup.campaignId}`),
        fc.constant('/c/00000000-0000-4000-8000-000000000000'),
        fc.constant('/pixel.gif'),
        fc.constant('/postback'),
        fc.constantFrom(...networks.map((n) => `/postback/${n.slug}`)),
        fc.constantFrom(...networks.map((n) => `/postback/${n.id}`)),
        fc.constantFrom(
          '/api/networks',
          `/api/networks/${setup.networkId}`,
          '/api/offers',
          '/api/traffic-sources',
          '/api/campaigns',
          '/api/api-keys',
          `/api/networks/${setup.networkId}/api-keys`,
          '/api/postbacks',
          '/api/conversions',
        ),
        hostileText(40).map((s) => `/${pct(s)}`),
      );
      const key = fc.oneof(
        fc.constantFrom(
          'click_id',
          'clickid',
          'cid',
          'subid',
          'payout',
          'amount',
          'revenue',
          'status',
          'txid',
          'goal',
          'currency',
          'key',
          'ts',
          'sig',
          'sub1',
          'external_id',
          'name',
          'adapter',
        ),
        fc.constantFrom('__proto__', 'constructor', 'prototype', '__proto__[polluted]', 'click_id[]', 'a.b', ''),
        hostileText(20),
      );
      const value = fc.oneof(
        fc.constant(clickId),
        hostileText(60),
        fc.constantFrom('NaN', '-0', '1e999', '0x10', '12.345678901', '9'.repeat(30), 'USD', 'eur', 'XYZ', 'approved', 'rejected', 'maybe'),
      );
      const randomPairs = fc.array(fc.tuple(key, value), { maxLength: 8 });
      // Nearly valid postbacks reach deeper: attribution, the recorder, the guards.
      // Mostly valid: each field goes wrong one time in five.
      const mostly = (valid: fc.Arbitrary<string>) => fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: value, weight: 1 });
      const amount = mostly(fc.constantFrom('0', '1', '2.50', '10.000001', '999999999999.999999'));
      const plausible = fc
        .record(
          {
            click_id: mostly(fc.constant(clickId)),
            payout: amount,
            amount,
            status: mostly(fc.constantFrom('approved', 'pending', 'declined', 'refunded', 'sale', 'chargeback')),
            txid: mostly(fc.stringMatching(/^[a-z0-9-]{1,12}$/)),
            goal: mostly(fc.constantFrom('', 'sale', 'lead')),
            currency: mostly(fc.constantFrom('USD', 'eur', 'JPY')),
            key: value,
            ts: mostly(fc.constant(String(Math.floor(Date.now() / 1000)))),
            sig: mostly(fc.stringMatching(/^[0-9a-f]{64}$/)),
          },
          { requiredKeys: ['click_id'] },
        )
        .map((record) => Object.entries(record) as Array<[string, string]>);
      const pairs = fc.oneof(randomPairs, plausible);
      const request = fc.record({
        method: fc.oneof(fc.constantFrom('GET', 'POST'), fc.constantFrom('GET', 'POST', 'PATCH', 'PUT', 'DELETE', 'OPTIONS', 'HEAD')),
        endpoint,
        query: pairs,
        encoding: fc.constantFrom('clean', 'clean', 'broken'),
        contentType: fc.constantFrom(
          undefined,
          'application/json',
          'application/x-www-form-urlencoded',
          'text/plain',
          'application/xml',
          'application/json; charset=latin1',
          'application/problem+json',
          'APPLICATION/JSON',
          'multipart/form-data; boundary=x',
          'garbage',
        ),
        body: fc.oneof(
          fc.constant(undefined),
          pairs.map((p) => JSON.stringify(Object.fromEntries(p))),
          pairs.map((p) => p.map(([k, v]) => `${pct(k)}=${pct(v)}`).join('&')),
          fc.json({ maxDepth: 4 }),
          fc.uint8Array({ maxLength: 512 }).map((b) => Buffer.from(b)),
          fc.constantFrom(
            '{',
            '{"__proto__":{"x":1}}',
            '{"constructor":{"prototype":{"x":1}}}',
            '[]',
            'null',
            '"str"',
            '{"click_id":{"$ne":null}}',
            '%%%',
            'a=1&a=2',
          ),
          // Nested bodies with hostile values at any depth, and the JSON spellings that once slipped through.
          fc
            .dictionary(key, fc.oneof(value, fc.dictionary(key, value, { maxKeys: 3 }), fc.array(value, { maxLength: 3 })), { maxKeys: 6 })
            .map((o) => JSON.stringify({ click_id: clickId, ...o })),
          fc.constantFrom(
            `{"click_id":"${clickId}","payout":1e400}`,
            `{"click_id":"${clickId}","m":{"a":"\\u0000"}}`,
            `{"click_id":"${clickId}","m":["\\ud800"]}`,
            `{"click_id":"${clickId}","txid":["x"],"m":{}}`,
            `{"click_id":"${clickId}","payout":{"v":1},"m":{}}`,
            `{"click_id":"${clickId}","status":"declined","status":"approved"}`,
            `{"click_id":"${clickId}","m":{"x":"${'y'.repeat(3000)}"}}`,
          ),
          fc.integer({ min: 100, max: 20_000 }).map((depth) => '['.repeat(depth) + ']'.repeat(depth)),
        ),
        headers: fc.record(
          {
            'x-forwarded-for': fc.oneof(fc.constantFrom('203.0.113.5', '::1', '1.2.3.4, 5.6.7.8', 'unknown', '999.1.1.1', '[::1]:80', ',,,'), headerText(40)),
            'x-api-key': headerText(60),
            'webhook-id': headerText(30),
            'webhook-timestamp': fc.oneof(fc.constant(String(Math.floor(Date.now() / 1000))), headerText(12)),
            'webhook-signature': headerText(80),
            cookie: fc.oneof(fc.constant(`pw_click=${clickId}`), headerText(60)),
            authorization: fc.constantFrom(`Bearer ${ADMIN_KEY}`, 'Bearer nope', 'Basic x'),
          },
          { requiredKeys: [] },
        ),
      });

      let sent = 0;
      await fc.assert(
        fc.asyncProperty(request, async (r) => {
          const query = r.query.map(([k, v]) => `${pct(k)}=${r.encoding === 'clean' ? pct(v) : breakEncoding(pct(v))}`).join('&');
          const headers: Record<string, string> = { ...r.headers };
          if (r.contentType !== undefined) headers['content-type'] = r.contentType;
          const withBody = r.body !== undefined && r.method !== 'GET' && r.method !== 'HEAD';
          await probe({ method: r.method, path: query ? `${r.endpoint}?${query}` : r.endpoint, headers, body: withBody ? r.body : undefined });
          sent++;
        }),
        { numRuns: RANDOM_REQUESTS, endOnFailure: true },
      );

      // Still healthy, and still doing its job (random admin calls may have renamed or guarded the network).
      expect((await send({ method: 'GET', path: '/health' })).status).toBe(200);
      await app.api('PATCH', `/api/networks/${setup.networkId}`, { guards: { ipAllowlist: [], requireApiKey: false, requireSignature: false } });
      const fresh = await click(app, setup.campaignId);
      const ok = await send({ method: 'GET', path: `/postback/${setup.networkId}?click_id=${fresh}&payout=1.25` });
      expect(ok.status).toBe(200);
      expect(JSON.parse(ok.body)).toMatchObject({ status: 'accepted' });
      expect(sent).toBe(RANDOM_REQUESTS);
    },
    fuzzTimeout(120_000),
  );

  it(
    'admin fields: hostile text in any field, query or path is a 4xx or stored clean, never a 5xx',
    async () => {
      const text = fc.oneof(
        hostileText(40),
        fc.constantFrom('ok', 'approved', 'x'.repeat(300), '275760-09-13', '-271821-04-20', '2024-02-30', '{sub1}', 'пример.рф', '😀', '__proto__'),
      );
      const body = (method: string, path: string, payload: unknown): Sent => ({
        method,
        path,
        headers: { ...admin, 'content-type': 'application/json' },
        body: JSON.stringify(payload),
      });
      const get = (path: string): Sent => ({ method: 'GET', path, headers: admin });
      const adminRequest = fc.oneof(
        text.map((t) => body('POST', '/api/networks', { name: t })),
        text.map((t) => body('POST', '/api/networks', { name: 'n', slug: t })),
        text.map((t) => body('POST', '/api/offers', { name: t, networkId: setup.networkId, url: 'https://offer.example/x' })),
        text.map((t) => body('POST', '/api/offers', { name: 'o', networkId: setup.networkId, url: `https://offer.example/${t}?c={click_id}` })),
        text.map((t) => body('POST', '/api/offers', { name: 'o', networkId: setup.networkId, url: `https://${t}/x` })),
        text.map((t) => body('POST', '/api/offers', { name: 'o', networkId: setup.networkId, url: t })),
        fc.tuple(text, text).map(([k, v]) => body('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, { headers: { [k]: v } })),
        text.map((t) => body('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, { headers: { 'x-extra': t } })),
        text.map((t) => body('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, { statusMap: { approved: t } })),
        text.map((t) => body('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, { goals: [t] })),
        text.map((t) => body('PATCH', `/api/traffic-sources/${setup.trafficSourceId}`, { postbackUrl: `http://127.0.0.1:9/${t}?c={click_id}` })),
        text.map((t) => body('POST', '/api/campaigns', { name: t, trafficSourceId: setup.trafficSourceId, offerId: setup.offerId })),
        text.map((t) => body('POST', '/api/campaigns', { name: 'c', trafficSourceId: setup.trafficSourceId, offerId: setup.offerId, externalIdParam: t })),
        text.map((t) => body('POST', '/api/api-keys', { scope: 'read', label: t })),
        text.map((t) => body('POST', '/api/deliveries/replay', { trafficSourceId: setup.trafficSourceId, from: t, to: '2030-01-01' })),
        text.map((t) => body('PUT', `/api/offers/${setup.offerId}/goals/${pct(t)}`, { manyPerClick: false })),
        text.map((t) => get(`/api/postbacks?clickId=${pct(t)}`)),
        text.map((t) => get(`/api/deliveries?trafficSourceId=${pct(t)}`)),
        text.map((t) => get(`/api/conversions?clickId=${pct(t)}&limit=${pct(t)}`)),
        text.map((t) => get(`/api/reports/reconciliation?from=${pct(t)}`)),
        text.map((t) => get(`/api/networks/${pct(t)}`)),
        text.map((t) => get(`/api/postbacks?clickId=${breakEncoding(pct(t))}`)),
      );
      await fc.assert(
        fc.asyncProperty(adminRequest, async (r) => {
          await probe(r);
        }),
        { numRuns: fuzzRuns(250), endOnFailure: true },
      );
      // What was accepted was stored clean: no U+FFFD, no lone surrogate, every URL ASCII.
      const { rows } = await db.query<{ bad: number }>(`SELECT
      (SELECT count(*) FROM networks WHERE name ~ '\uFFFD' OR slug ~ '[^a-z0-9-]')
      + (SELECT count(*) FROM offers WHERE name ~ '\uFFFD' OR url ~ '[^\x21-\x7e]')
      + (SELECT count(*) FROM traffic_sources WHERE name ~ '\uFFFD' OR postback_url ~ '[^\x21-\x7e]' OR headers::text ~ '\uFFFD' OR coalesce(status_map::text, '') ~ '\uFFFD')
      + (SELECT count(*) FROM campaigns WHERE name ~ '\uFFFD' OR external_id_param IN ('__proto__', 'constructor', 'prototype'))
      AS bad`);
      expect(Number(rows[0].bad)).toBe(0);
      expect((await send({ method: 'GET', path: '/health' })).status).toBe(200);
    },
    fuzzTimeout(120_000),
  );

  it(
    'every admin write route: a hostile value in any field, or an extra or repeated key, is a 4xx or stored, never a 5xx',
    async () => {
      const unknownId = '00000000-0000-4000-8000-000000000000';
      // One plausible body per write route; the fuzz swaps one field for a hostile value.
      const routes: Array<{ method: string; path: string; body: Record<string, unknown> }> = [
        { method: 'POST', path: '/api/networks', body: { name: 'n', slug: 'fz', defaultCurrency: 'USD', attributionWindowDays: 30 } },
        { method: 'PATCH', path: `/api/networks/${setup.networkId}`, body: { attributionWindowDays: 30 } },
        { method: 'POST', path: `/api/networks/${setup.networkId}/api-keys`, body: { label: 'k' } },
        { method: 'POST', path: '/api/offers', body: { name: 'o', networkId: setup.networkId, url: 'https://offer.example/x', payout: '1.5' } },
        { method: 'PUT', path: `/api/offers/${setup.offerId}/goals/sale`, body: { manyPerClick: false } },
        { method: 'POST', path: '/api/traffic-sources', body: { name: 't', postbackUrl: 'http://127.0.0.1:9/pb?c={click_id}' } },
        { method: 'PATCH', path: `/api/traffic-sources/${setup.trafficSourceId}`, body: { goals: ['sale'], timeoutMs: 5000 } },
        {
          method: 'POST',
          path: '/api/campaigns',
          body: { name: 'c', trafficSourceId: setup.trafficSourceId, offerId: setup.offerId, costModel: 'cpc', costValue: '0.1' },
        },
        { method: 'PATCH', path: `/api/campaigns/${setup.campaignId}`, body: { costModel: 'cpc', costValue: '0.1' } },
        { method: 'POST', path: `/api/campaigns/${setup.campaignId}/costs`, body: { from: '2026-01-01T00:00:00Z', to: '2026-01-02T00:00:00Z', amount: '5' } },
        { method: 'PUT', path: '/api/currency-rates', body: { rates: [{ currency: 'EUR', day: '2026-01-01', rate: '1.1' }] } },
        { method: 'POST', path: '/api/api-keys', body: { scope: 'read', label: 'l' } },
        { method: 'POST', path: '/api/deliveries/replay', body: { trafficSourceId: setup.trafficSourceId, from: '2026-01-01', to: '2026-01-02' } },
        { method: 'POST', path: `/api/deliveries/${unknownId}/retry`, body: {} },
        { method: 'POST', path: '/api/users', body: { email: 'fuzz@example.com', password: 'long enough password 1', role: 'manager' } },
        { method: 'PATCH', path: `/api/users/${unknownId}`, body: { role: 'manager' } },
      ];
      // Raw JSON text for each hostile value, so numbers the serialiser would rewrite arrive as written.
      const hostile = fc.oneof(
        hostileText(30).map((t) => JSON.stringify(t)),
        fc.constantFrom(
          '9007199254740993',
          '12345678901.123456789',
          '1E2',
          '1e400',
          '-0',
          '-1',
          '0.1',
          'null',
          'true',
          '[]',
          '{}',
          '[1,[2,[3]]]',
          '{"a":{"b":1}}',
          '"-004714-01-01T00:00:00Z"',
          '"-100000-01-01"',
          '"0000-01-01"',
          '"275760-09-13"',
          '"9999-12-31T23:59:59Z"',
          '-3217862419200000',
          '8640000000000001',
          '"__proto__"',
        ),
      );
      const request = fc.record({
        route: fc.constantFrom(...routes),
        field: fc.nat(),
        value: hostile,
        mode: fc.constantFrom('replace', 'replace', 'extra key', 'repeat key', 'nested'),
      });
      await fc.assert(
        fc.asyncProperty(request, async ({ route, field, value, mode }) => {
          const entries = Object.entries(route.body).map(([k, v]) => `${JSON.stringify(k)}:${JSON.stringify(v)}`);
          const keys = Object.keys(route.body);
          const key = keys.length ? keys[field % keys.length] : 'x';
          if (mode === 'replace' && keys.length) entries[field % keys.length] = `${JSON.stringify(key)}:${value}`;
          else if (mode === 'repeat key') entries.push(...(keys.length ? [] : [`"x":1`]), `${JSON.stringify(key)}:${value}`);
          else if (mode === 'nested' && keys.length) entries[field % keys.length] = `${JSON.stringify(key)}:{"v":${value}}`;
          else entries.push(`"extra":${value}`);
          const res = await probe({
            method: route.method,
            path: route.path,
            headers: { ...admin, 'content-type': 'application/json' },
            body: `{${entries.join(',')}}`,
          });
          if (mode === 'repeat key') expect([route.path, res.status]).toEqual([route.path, 400]);
          if (res.status === 400) expect(JSON.parse(res.body)).toHaveProperty('param');
        }),
        { numRuns: fuzzRuns(200), endOnFailure: true },
      );
      expect((await send({ method: 'GET', path: '/health' })).status).toBe(200);
    },
    fuzzTimeout(120_000),
  );

  it('never answers raw protocol garbage with a 5xx', async () => {
    const garbage = [
      'GARBAGE\r\n\r\n',
      'GET /postback?click_id=x HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n',
      'POST /postback HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\nzzzz\r\n',
      'POST /postback HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Type: application/json\r\n\r\nZZ\r\n{}\r\n0\r\n\r\n',
      'GET /postback?click_id=\u0000 HTTP/1.1\r\nHost: a\r\n\r\n',
      'GET /c/x HTTP/1.1\r\nHost: a\r\nX-Bad: a\u0000b\r\n\r\n',
      'GET /postback HTTP/9.9\r\nHost: a\r\n\r\n',
      `GET /postback?${'a'.repeat(70_000)}=1 HTTP/1.1\r\nHost: a\r\n\r\n`,
    ];
    const before = await snapshot();
    for (const raw of garbage) {
      const answer = await rawExchange(app.port, raw);
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      if (status !== undefined) expect(Number(status)).toBeLessThan(500);
    }
    expect(await snapshot()).toBe(before);
    expect((await send({ method: 'GET', path: '/health' })).status).toBe(200);
  });
});

/** Text with the characters that break things: controls, bidi overrides, lone surrogates, U+FFFD, quotes, percent signs. */
function hostileText(maxLength: number): fc.Arbitrary<string> {
  return fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: 'binary', maxLength }),
    fc.string({ unit: 'binary-ascii', maxLength }),
    fc.string({ unit: 'grapheme', maxLength }),
    fc.constantFrom(
      '\u0000',
      '\r\nX-Injected: 1',
      '\u202e',
      '\ufffd',
      '\ud800',
      '\udfff',
      '%',
      '%00',
      '../../etc/passwd',
      "' OR 1=1 --",
      '${jndi:ldap://x}',
      '{{7*7}}',
      '<script>',
    ),
  );
}

/** Header values may carry any byte but controls (Node refuses those on the client side). */
function headerText(maxLength: number): fc.Arbitrary<string> {
  return fc.string({ unit: 'binary-ascii', maxLength }).map((s) => s.replace(/[^\t\x20-\x7e\x80-\xff]/g, '?'));
}

/**
 * Percent-encodes the UTF-8 bytes of any string. encodeURIComponent throws on a lone surrogate;
 * here it becomes U+FFFD, which the tracker must refuse as broken encoding.
 */
function pct(text: string): string {
  let out = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    const c = String.fromCharCode(byte);
    out += /[A-Za-z0-9\-_.~]/.test(c) ? c : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** Percent-encoding an attacker gets wrong on purpose: stray `%`, bad hex, overlong or truncated UTF-8. */
function breakEncoding(encoded: string): string {
  const damage = ['%', '%G1', '%FF', '%C0%AF', '%E0%A4', '%ED%A0%80', '%00'];
  return encoded + damage[encoded.length % damage.length];
}

function rawExchange(port: number, raw: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    const done = () => {
      socket.destroy();
      resolve(answer);
    };
    socket.setTimeout(3000, done);
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('end', done);
    socket.on('close', done);
    socket.on('error', done);
    socket.write(raw, 'latin1');
  });
}

/**
 * Classes that need a tracker of their own: signed retries after an answer that booked nothing
 * (405 to a HEAD, 429 of the network's limit) must not be refused as replays, and slow or idle
 * clients must be cut off without taking /health down. Short timeouts and a small network limit
 * keep it quick; loopback only, bounded counts.
 */
describe('hostile input: replays after refusals, slow clients', () => {
  let app: PostwireProcess;
  let dropDb: () => Promise<void>;
  let redis: Redis;
  /** One signed network per test: each has its own budget under the network limit. */
  const signedNetworks: Array<{ networkId: string; campaignId: string; secret: string }> = [];
  const NETWORK_LIMIT = 30;
  const QUEUE_PREFIX = 'pwhostile' + randomBytes(4).toString('hex');

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    dropDb = database.drop;
    app = await PostwireProcess.start({
      entry: 'tracker',
      env: {
        DATABASE_URL: database.url,
        QUEUE_PREFIX,
        RATE_LIMIT_EXEMPT_CIDRS: 'none',
        RATE_LIMIT_NETWORK_PER_MIN: String(NETWORK_LIMIT),
        HTTP_HEADERS_TIMEOUT_MS: '1000',
        HTTP_REQUEST_TIMEOUT_MS: '1500',
        HTTP_KEEP_ALIVE_TIMEOUT_MS: '500',
        HTTP_IDLE_TIMEOUT_MS: '2000',
      },
    });
    redis = new Redis(process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379');
    for (let i = 0; i < 2; i++) {
      const { networkId, campaignId } = await setUpCampaign(app, 'http://127.0.0.1:9');
      expect((await app.api('PATCH', `/api/networks/${networkId}`, { guards: { requireSignature: true } })).status).toBe(200);
      const secret = (await app.api<{ secret: string }>('POST', `/api/networks/${networkId}/signing-secrets`, {})).body.secret;
      signedNetworks.push({ networkId, campaignId, secret });
    }
  });

  afterAll(async () => {
    const keys = await redis?.keys(`${QUEUE_PREFIX}:*`);
    if (keys?.length) await redis.del(...keys);
    redis?.disconnect();
    await app?.dispose();
    await dropDb?.();
  });

  const signed = ({ networkId, secret }: { networkId: string; secret: string }, query: Record<string, string>) => {
    const path = `/postback/${networkId}`;
    const full = { ...query, ts: String(Math.floor(Date.now() / 1000)) };
    const sig = signGet(secret, 'GET', path, full);
    return { url: `${app.url}${path}?${new URLSearchParams({ ...full, sig })}`, sig };
  };
  /** Whether the replay guard holds this signature (the key RedisReplayStore writes). */
  const remembered = async (sig: string) => (await redis.exists(`${QUEUE_PREFIX}:replay:${createHash('sha256').update(sig).digest('hex')}`)) === 1;

  it('accepts the identical GET after a HEAD of a signed postback URL (405), for any signed values', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 40 }), fc.integer({ min: 1, max: 99_999 }), async (txid, cents) => {
        const network = signedNetworks[0];
        // Each run is a new click, so its txid must be new too: a txid already booked for another click is a txid_conflict.
        const { url } = signed(network, { click_id: await click(app, network.campaignId), txid: `${++run}-${txid}`, payout: (cents / 100).toFixed(2) });
        expect((await fetch(url, { method: 'HEAD' })).status).toBe(405);
        const booked = await fetch(url);
        expect(booked.status).toBe(200);
        expect(await booked.json()).toMatchObject({ status: 'accepted' });
        expect((await fetch(url)).status).toBe(401);
      }),
      // Three requests a run, within the network's limit of 30 a minute; no shrinking, which would spend more of it and hide the first failure.
      { numRuns: 8, endOnFailure: true },
    );
  });

  it('forgets a signature refused with 429 by the network limit, and keeps one that was booked', async () => {
    let limited: { url: string; sig: string } | undefined;
    const network = signedNetworks[1];
    for (let i = 0; i <= NETWORK_LIMIT && !limited; i++) {
      const request = signed(network, { click_id: await click(app, network.campaignId), txid: `flood-${i}` });
      const res = await fetch(request.url);
      if (res.status === 429) limited = request;
      else {
        expect(res.status).toBe(200);
        expect(await remembered(request.sig)).toBe(true);
      }
    }
    expect(limited).toBeDefined();
    // Its sender retries it as is after Retry-After; the replay guard must not stand in the way then.
    // The guard forgets it once the 429 has been sent, so the DEL can reach Redis just after the client
    // read the answer: give it well under the shortest Retry-After (1 s).
    await waitUntil(async () => !(await remembered(limited!.sig)), 500, 'the replay guard to forget the 429 signature', 10);
  });

  it('cuts off slow headers, slow bodies and idle sockets on every public route, and /health answers meanwhile', async () => {
    const routes = [`/c/${signedNetworks[0].campaignId}`, '/postback', `/postback/${signedNetworks[0].networkId}`, '/pixel.gif'];
    const sockets = routes.flatMap((path) => [
      slowSocket(app.port, `GET ${path}?click_id=x HTTP/1.1\r\nHost: a\r\n`, `X-Slow: ${'z'.repeat(20)}\r\n\r\n`),
      slowSocket(
        app.port,
        `POST ${path} HTTP/1.1\r\nHost: a\r\nContent-Type: application/json\r\nContent-Length: 40\r\n\r\n`,
        '{"click_id":"' + 'y'.repeat(26),
      ),
      slowSocket(app.port, '', ''),
    ]);
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
    const outcomes = await Promise.all(sockets);
    for (const outcome of outcomes) {
      expect(outcome.closedByServer).toBe(true);
      expect(outcome.livedMs).toBeLessThan(6000);
      if (outcome.status !== undefined) expect(outcome.status).toBeLessThan(500);
    }
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});

/**
 * Opens a socket, writes `head` at once, then `trickle` one byte every 500 ms; resolves when the
 * server closes it, or after 8 s with `closedByServer: false`.
 */
function slowSocket(port: number, head: string, trickle: string): Promise<{ closedByServer: boolean; livedMs: number; status?: number }> {
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1');
    let answer = '';
    let finished = false;
    const finish = (closedByServer: boolean) => {
      if (finished) return;
      finished = true;
      clearInterval(ticker);
      clearTimeout(deadline);
      socket.destroy();
      const status = /^HTTP\/1\.[01] (\d{3})/.exec(answer)?.[1];
      resolve({ closedByServer, livedMs: Date.now() - started, status: status === undefined ? undefined : Number(status) });
    };
    let sent = 0;
    const ticker = setInterval(() => {
      if (sent < trickle.length && !socket.destroyed) socket.write(trickle[sent++]);
    }, 500);
    const deadline = setTimeout(() => finish(false), 8000);
    socket.on('data', (d: Buffer) => (answer += d.toString('latin1')));
    socket.on('close', () => finish(true));
    socket.on('error', () => finish(true));
    if (head) socket.write(head);
  });
}
