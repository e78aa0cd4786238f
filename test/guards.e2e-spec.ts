import { createHash, randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { signGet, signWebhook } from '../libs/security/src';
import { digistoreSignature } from '../plugins/digistore24/digistore24.signature';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { click, getJson, setUpCampaign } from './support/scenario';
import { waitUntil } from './support/wait-until';

/**
 * The fraud guards of a network, driven over real HTTP against two tracker processes that share
 * PostgreSQL, Redis and SECRETS_KEY, the way a scaled-out install runs:
 * - `direct` listens on `::` (so both 127.0.0.1, seen as ::ffff:127.0.0.1, and ::1 reach it) and trusts no proxy;
 * - `proxied` listens on 127.0.0.1 with TRUST_PROXY=127.0.0.1/32, as if behind a local reverse proxy.
 * Every refusal is also checked to have stored nothing.
 */
describe('network guards', () => {
  let direct: PostwireProcess;
  let proxied: PostwireProcess;
  let db: Client;
  let dropDb: () => Promise<void>;
  const shared = { QUEUE_PREFIX: 'pwguards' + randomBytes(4).toString('hex'), SECRETS_KEY: randomBytes(32).toString('hex') };

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    dropDb = database.drop;
    direct = await PostwireProcess.start({ entry: 'tracker', env: { ...shared, DATABASE_URL: database.url, HOST: '::' } });
    proxied = await PostwireProcess.start({ entry: 'tracker', env: { ...shared, DATABASE_URL: database.url, TRUST_PROXY: '127.0.0.1/32' } });
    db = new Client({ connectionString: database.url });
    await db.connect();
  });

  afterAll(async () => {
    await db?.end();
    await direct?.dispose();
    await proxied?.dispose();
    await dropDb?.();
  });

  /** A network with guards, an offer, a campaign and one fresh click on it. */
  async function guardedClick(guards: Record<string, unknown>, adapter = 'generic') {
    const slug = `net-${randomBytes(4).toString('hex')}`;
    const setup = await setUpCampaign(direct, 'http://127.0.0.1:9', { networkSlug: slug });
    const patched = await direct.api<{ guards: Record<string, unknown> }>('PATCH', `/api/networks/${setup.networkId}`, { guards });
    expect(patched.status).toBe(200);
    const clickId = await click(direct, setup.campaignId);
    await clickStored(clickId);
    return { ...setup, slug, clickId, adapter };
  }

  /** Clicks are written a few ms after their redirect; a postback to the other process must not race that. */
  async function clickStored(clickId: string): Promise<void> {
    await waitUntil(async () => (await db.query('SELECT 1 FROM clicks WHERE id = $1', [clickId])).rows.length > 0, 5000, `click ${clickId} to be stored`, 10);
  }

  const stored = async (clickId: string) => {
    const { rows } = await db.query<{ postbacks: number; conversions: number }>(
      "SELECT (SELECT count(*)::int FROM postbacks WHERE click_id = $1 AND outcome <> 'refused') AS postbacks, (SELECT count(*)::int FROM conversions WHERE click_id = $1) AS conversions",
      [clickId],
    );
    return rows[0];
  };

  const ipv6Url = (app: PostwireProcess) => `http://[::1]:${app.port}`;

  describe('IP allowlist', () => {
    it('matches an IPv4 peer that a dual-stack socket reports as ::ffff:127.0.0.1, and refuses ::1', async () => {
      const n = await guardedClick({ ipAllowlist: ['127.0.0.1/32'] });
      const refused = await getJson(`${ipv6Url(direct)}/postback/${n.slug}?click_id=${n.clickId}&txid=t1`);
      expect(refused).toMatchObject({ status: 403, body: { error: 'ip_not_allowed' } });
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });
      const accepted = await getJson(`${direct.url}/postback/${n.slug}?click_id=${n.clickId}&txid=t1`);
      expect(accepted).toMatchObject({ status: 200, body: { status: 'accepted' } });
      const log = await direct.api<{ items: Array<{ ip: string }> }>('GET', `/api/postbacks?clickId=${n.clickId}&outcome=accepted`);
      expect(log.body.items.map((p) => p.ip)).toEqual(['127.0.0.1']);
    });

    it('matches IPv6 ranges and refuses IPv4 against them', async () => {
      const n = await guardedClick({ ipAllowlist: ['::1/128'] });
      expect((await getJson(`${direct.url}/postback/${n.slug}?click_id=${n.clickId}`)).status).toBe(403);
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });
      expect(await getJson(`${ipv6Url(direct)}/postback/${n.slug}?click_id=${n.clickId}`)).toMatchObject({ status: 200, body: { status: 'accepted' } });
    });

    it('ignores X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      const n = await guardedClick({ ipAllowlist: ['203.0.113.0/24'] });
      for (const xff of ['203.0.113.9', '203.0.113.9, 203.0.113.10', 'unknown, 203.0.113.9']) {
        const res = await getJson(`${direct.url}/postback/${n.slug}?click_id=${n.clickId}`, { headers: { 'x-forwarded-for': xff } });
        expect(res).toMatchObject({ status: 403, body: { error: 'ip_not_allowed' } });
      }
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });
    });

    it('believes the hop a trusted proxy appended, and only that one', async () => {
      const n = await guardedClick({ ipAllowlist: ['203.0.113.0/24'] });
      const url = `${proxied.url}/postback/${n.slug}?click_id=${n.clickId}`;
      // The client wrote the left part; the proxy appended the address it saw.
      expect((await getJson(url, { headers: { 'x-forwarded-for': '203.0.113.9, 198.51.100.1' } })).status).toBe(403);
      expect((await getJson(url)).status).toBe(403);
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });
      const accepted = await getJson(url, { headers: { 'x-forwarded-for': '198.51.100.1, 203.0.113.9' } });
      expect(accepted).toMatchObject({ status: 200, body: { status: 'accepted' } });
      const log = await proxied.api<{ items: Array<{ ip: string }> }>('GET', `/api/postbacks?clickId=${n.clickId}&outcome=accepted`);
      expect(log.body.items.map((p) => p.ip)).toEqual(['203.0.113.9']);
    });

    it('stores the resolved client address of a click', async () => {
      const setup = await setUpCampaign(proxied, 'http://127.0.0.1:9');
      const res = await fetch(`${proxied.url}/c/${setup.campaignId}`, { redirect: 'manual', headers: { 'x-forwarded-for': '198.51.100.23' } });
      const clickId = new URL(res.headers.get('location')!).searchParams.get('cid');
      const spoofed = await fetch(`${direct.url}/c/${setup.campaignId}`, { redirect: 'manual', headers: { 'x-forwarded-for': '198.51.100.24' } });
      const spoofedId = new URL(spoofed.headers.get('location')!).searchParams.get('cid');
      await clickStored(clickId!);
      await clickStored(spoofedId!);
      const { rows } = await db.query<{ id: string; ip: string }>('SELECT id, ip FROM clicks WHERE id = ANY($1)', [[clickId, spoofedId]]);
      expect(Object.fromEntries(rows.map((r) => [r.id, r.ip]))).toEqual({ [clickId!]: '198.51.100.23', [spoofedId!]: '127.0.0.1' });
    });

    it("applies the clicked offer's network guards on the bare /postback", async () => {
      const n = await guardedClick({ ipAllowlist: ['203.0.113.0/24'] });
      const refused = await getJson(`${direct.url}/postback?click_id=${n.clickId}&payout=1`);
      expect(refused).toMatchObject({ status: 403, body: { error: 'ip_not_allowed' } });
      const posted = await getJson(`${direct.url}/postback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ cid: n.clickId }),
      });
      expect(posted.status).toBe(403);
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });
      const viaProxy = await getJson(`${proxied.url}/postback?click_id=${n.clickId}&payout=1`, { headers: { 'x-forwarded-for': '203.0.113.50' } });
      expect(viaProxy).toMatchObject({ status: 200, body: { status: 'accepted' } });
    });

    it('logs each refusal with the guard and the reason', async () => {
      expect(direct.output).toMatch(/postback refused: guard=ip_allowlist reason=ip_not_allowed network=net-[0-9a-f]+ ip=::1/);
    });
  });

  describe('API key', () => {
    it('takes an active key of this network in the key parameter or X-API-Key, and nothing else', async () => {
      const n = await guardedClick({ requireApiKey: true });
      const other = await guardedClick({ requireApiKey: true });
      const key1 = await direct.api<{ id: string; key: string }>('POST', `/api/networks/${n.networkId}/api-keys`, { label: 'first' });
      const key2 = await direct.api<{ id: string; key: string }>('POST', `/api/networks/${n.networkId}/api-keys`, {});
      const otherKey = await direct.api<{ key: string }>('POST', `/api/networks/${other.networkId}/api-keys`, {});
      expect(key1).toMatchObject({ status: 201, body: { key: expect.stringMatching(/^pw_net_[A-Za-z0-9_-]{43}$/), networkId: n.networkId, label: 'first' } });

      const base = `${direct.url}/postback/${n.slug}?click_id=${n.clickId}`;
      const refusals: Array<[string, RequestInit?]> = [
        [base],
        [`${base}&key=${otherKey.body.key}`],
        [`${base}&key=${ADMIN_KEY}`],
        [`${base}&key=pw_net_${'A'.repeat(43)}`],
        [`${base}&key=${key1.body.key}&key=${key1.body.key}`],
        [`${base}&key=${key1.body.key}`, { headers: { 'x-api-key': key2.body.key } }],
      ];
      for (const [url, init] of refusals) {
        expect(await getJson(url, init)).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
      }
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });

      expect(await getJson(`${base}&txid=a&key=${encodeURIComponent(key1.body.key)}`)).toMatchObject({ status: 200, body: { status: 'accepted' } });
      expect((await getJson(`${base}&txid=b`, { headers: { 'x-api-key': key2.body.key } })).status).toBe(200);

      const revoke = await fetch(`${direct.url}/api/networks/${n.networkId}/api-keys/${key1.body.id}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(revoke.status).toBe(204);
      expect((await getJson(`${base}&key=${encodeURIComponent(key1.body.key)}`)).status).toBe(401);
      expect((await getJson(`${base}&txid=c`, { headers: { 'x-api-key': key2.body.key } })).status).toBe(200);

      // The key is a credential: it must not reach the postback log; a refused request's row shows it was sent, masked.
      const refusedRows = async () =>
        Number((await db.query("SELECT count(*) AS n FROM postbacks WHERE click_id = $1 AND outcome = 'refused'", [n.clickId])).rows[0].n);
      await waitUntil(async () => (await refusedRows()) >= 7, 5000, 'the refused requests to be logged', 20);
      const { rows } = await db.query<{ params: string; outcome: string }>('SELECT params::text, outcome FROM postbacks WHERE click_id = $1', [n.clickId]);
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) expect(row.params).not.toMatch(row.outcome === 'refused' ? /pw_net_/ : /pw_net_|"key"/);
      expect(rows.filter((row) => row.outcome === 'refused' && row.params.includes('"key": "***"')).length).toBeGreaterThanOrEqual(4);
      const listed = await direct.api<Array<Record<string, unknown>>>('GET', `/api/networks/${n.networkId}/api-keys`);
      expect(listed.body).toHaveLength(2);
      expect(JSON.stringify(listed.body)).not.toMatch(/pw_net_|hash/i);
      expect(listed.body.find((k) => k.id === key1.body.id)?.revokedAt).toEqual(expect.any(String));
      expect(direct.output).toContain('guard=api_key reason=invalid_api_key');
    });

    it('only stores the sha256 of a key', async () => {
      const n = await guardedClick({ requireApiKey: true });
      const { body } = await direct.api<{ id: string; key: string }>('POST', `/api/networks/${n.networkId}/api-keys`, {});
      const { rows } = await db.query<{ row: string; key_hash: string }>('SELECT row_to_json(k)::text AS row, key_hash FROM api_keys k WHERE id = $1', [
        body.id,
      ]);
      expect(rows[0].key_hash).toBe(createHash('sha256').update(body.key).digest('hex'));
      expect(rows[0].row).not.toContain(body.key.slice(7));
    });
  });

  describe('signatures', () => {
    async function signedNetwork() {
      const n = await guardedClick({ requireSignature: true });
      const secret = await direct.api<{ id: string; secret: string }>('POST', `/api/networks/${n.networkId}/signing-secrets`, { label: 'v1' });
      expect(secret).toMatchObject({ status: 201, body: { secret: expect.stringMatching(/^whsec_[A-Za-z0-9+/]{32}$/) } });
      return { ...n, secretId: secret.body.id, secret: secret.body.secret };
    }

    const signedUrl = (app: PostwireProcess, path: string, params: Record<string, string>, secret: string, ts = Math.floor(Date.now() / 1000)) => {
      const query = { ...params, ts: String(ts) };
      const sig = signGet(secret, 'GET', path, query);
      return `${app.url}${path}?${new URLSearchParams({ ...query, sig })}`;
    };

    it('GET: accepts a good signature once, across processes, and refuses tampered, stale and unsigned requests', async () => {
      const n = await signedNetwork();
      const path = `/postback/${n.slug}`;
      const params = { click_id: n.clickId, payout: '1.50', status: 'approved', note: 'Zürich sale/50% (fall)' };

      const unsigned = await getJson(`${direct.url}${path}?${new URLSearchParams(params)}`);
      expect(unsigned).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
      const tampered = signedUrl(direct, path, params, n.secret).replace('payout=1.50', 'payout=150');
      expect(await getJson(tampered)).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
      const wrongSecret = signedUrl(direct, path, params, 'whsec_' + Buffer.from('not the secret').toString('base64'));
      expect(await getJson(wrongSecret)).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
      const stale = signedUrl(direct, path, params, n.secret, Math.floor(Date.now() / 1000) - 301);
      expect(await getJson(stale)).toMatchObject({ status: 401, body: { error: 'stale_timestamp' } });
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });

      const good = signedUrl(direct, path, params, n.secret);
      expect(await getJson(good)).toMatchObject({ status: 200, body: { status: 'accepted' } });
      // The same request again, to the other process: the replay guard lives in the shared Redis.
      expect(await getJson(good.replace(direct.url, proxied.url))).toMatchObject({ status: 401, body: { error: 'replayed' } });
      expect(await getJson(good)).toMatchObject({ status: 401, body: { error: 'replayed' } });
      expect(await stored(n.clickId)).toEqual({ postbacks: 1, conversions: 1 });

      const { rows } = await db.query<{ params: Record<string, string> }>("SELECT params FROM postbacks WHERE click_id = $1 AND outcome <> 'refused'", [
        n.clickId,
      ]);
      expect(rows[0].params).toEqual({ click_id: n.clickId, payout: '1.50', status: 'approved', note: 'Zürich sale/50% (fall)' });
      expect(direct.output).toMatch(/guard=signature reason=stale_timestamp/);
      expect(direct.output).toMatch(/guard=signature reason=replayed/);
    });

    it('GET: a signed postback that failed on our side (5xx) can be retried as is, not refused as a replay', async () => {
      const n = await signedNetwork();
      const path = `/postback/${n.slug}`;
      const good = signedUrl(direct, path, { click_id: n.clickId, payout: '2' }, n.secret);
      // Break the network's adapter settings behind the API's back: the handler answers 503 after the guards passed.
      await db.query(`UPDATE networks SET adapter_config = '{"bogus": 1}' WHERE id = $1`, [n.networkId]);
      expect(await getJson(good)).toMatchObject({ status: 503, body: { error: 'adapter_misconfigured' } });
      await db.query(`UPDATE networks SET adapter_config = '{}' WHERE id = $1`, [n.networkId]);
      expect(await getJson(good)).toMatchObject({ status: 200, body: { status: 'accepted' } });
      expect(await getJson(good)).toMatchObject({ status: 401, body: { error: 'replayed' } });
      expect(await stored(n.clickId)).toEqual({ postbacks: 1, conversions: 1 });
    });

    it('GET: a signed postback answered 405 (its HEAD) leaves the identical GET acceptable', async () => {
      const n = await signedNetwork();
      const good = signedUrl(direct, `/postback/${n.slug}`, { click_id: n.clickId, payout: '4' }, n.secret);
      // A link checker or proxy sends HEAD first; it passes the signature check (HEAD signs as GET) and books nothing.
      expect((await fetch(good, { method: 'HEAD' })).status).toBe(405);
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });
      expect(await getJson(good)).toMatchObject({ status: 200, body: { status: 'accepted' } });
      expect(await getJson(good)).toMatchObject({ status: 401, body: { error: 'replayed' } });
      expect(await stored(n.clickId)).toEqual({ postbacks: 1, conversions: 1 });
    });

    it('GET: several secrets are active during a rotation; a revoked one stops working', async () => {
      const n = await signedNetwork();
      const second = await direct.api<{ secret: string }>('POST', `/api/networks/${n.networkId}/signing-secrets`, {});
      const path = `/postback/${n.slug}`;
      expect((await getJson(signedUrl(direct, path, { click_id: n.clickId, txid: 'r1' }, n.secret))).status).toBe(200);
      expect((await getJson(signedUrl(direct, path, { click_id: n.clickId, txid: 'r2' }, second.body.secret))).status).toBe(200);
      const revoked = await fetch(`${direct.url}/api/networks/${n.networkId}/signing-secrets/${n.secretId}`, {
        method: 'DELETE',
        headers: { authorization: `Bearer ${ADMIN_KEY}` },
      });
      expect(revoked.status).toBe(204);
      expect(await getJson(signedUrl(direct, path, { click_id: n.clickId, txid: 'r3' }, n.secret))).toMatchObject({
        status: 401,
        body: { error: 'bad_signature' },
      });
      expect((await getJson(signedUrl(direct, path, { click_id: n.clickId, txid: 'r4' }, second.body.secret))).status).toBe(200);
    });

    it('POST: Standard Webhooks headers, refused when tampered, stale, replayed or with unsigned query parameters', async () => {
      const n = await signedNetwork();
      const url = `${direct.url}/postback/${n.slug}`;
      const body = JSON.stringify({ click_id: n.clickId, payout: '2.00', status: 'approved' });
      const post = (target: string, headers: Record<string, string>, payload = body) =>
        getJson(target, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: payload });
      const now = Math.floor(Date.now() / 1000);

      expect(await post(url, {})).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
      const signed = signWebhook(n.secret, `msg_${randomBytes(8).toString('hex')}`, now, body);
      expect(await post(url, { ...signed }, body.replace('2.00', '200'))).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
      expect(await post(`${url}?payout=999`, { ...signed })).toMatchObject({ status: 401, body: { error: 'bad_signature' } });
      const stale = signWebhook(n.secret, 'msg_stale', now - 3600, body);
      expect(await post(url, { ...stale })).toMatchObject({ status: 401, body: { error: 'stale_timestamp' } });
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });

      expect(await post(url, { ...signed })).toMatchObject({ status: 200, body: { status: 'accepted' } });
      expect(await post(url.replace(direct.url, proxied.url), { ...signed })).toMatchObject({ status: 401, body: { error: 'replayed' } });
      expect(await stored(n.clickId)).toEqual({ postbacks: 1, conversions: 1 });
      expect(direct.output).toContain('guard=signature reason=unsigned_query_parameter');
    });

    it('applies IP allowlist, API key and signature together, in that order', async () => {
      const n = await guardedClick({ ipAllowlist: ['127.0.0.1/32'], requireApiKey: true, requireSignature: true });
      const { body: key } = await direct.api<{ key: string }>('POST', `/api/networks/${n.networkId}/api-keys`, {});
      const { body: secret } = await direct.api<{ secret: string }>('POST', `/api/networks/${n.networkId}/signing-secrets`, {});
      const path = `/postback/${n.slug}`;
      const good = signedUrl(direct, path, { click_id: n.clickId, key: key.key }, secret.secret);
      expect((await getJson(good.replace(direct.url, ipv6Url(direct)))).status).toBe(403);
      expect(await getJson(signedUrl(direct, path, { click_id: n.clickId }, secret.secret))).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
      expect(await getJson(`${direct.url}${path}?click_id=${n.clickId}&key=${encodeURIComponent(key.key)}`)).toMatchObject({
        status: 401,
        body: { error: 'bad_signature' },
      });
      expect(await stored(n.clickId)).toEqual({ postbacks: 0, conversions: 0 });
      expect(await getJson(good)).toMatchObject({ status: 200, body: { status: 'accepted' } });
    });
  });

  describe('network settings', () => {
    it('validates guards and names the bad allowlist entry', async () => {
      const create = await direct.api<{ param: string }>('POST', '/api/networks', { name: 'Bad', guards: { ipAllowlist: ['203.0.113.0/24', '10.0.0.1/8'] } });
      expect(create).toMatchObject({ status: 400, body: { param: 'guards.ipAllowlist[1]' } });
      const { body: network } = await direct.api<{ id: string }>('POST', '/api/networks', {
        name: 'Good',
        guards: { ipAllowlist: ['203.0.113.7', '2001:db8::/32'] },
      });
      for (const [guards, param] of [
        [{ ipAllowlist: ['127.1'] }, 'guards.ipAllowlist[0]'],
        [{ ipAllowlist: ['::1', 'x'.repeat(65)] }, 'guards.ipAllowlist[1]'],
        [{ ipAllowlist: [7] }, 'guards.ipAllowlist[0]'],
        [{ requireApiKey: 'yes' }, 'guards.requireApiKey'],
        [{ requireEverything: true }, 'guards.requireEverything'],
      ] as const) {
        const res = await direct.api<{ param: string }>('PATCH', `/api/networks/${network.id}`, { guards });
        expect(res.status).toBe(400);
        expect(res.body.param).toBe(param);
      }
      const patched = await direct.api<{ guards: unknown }>('PATCH', `/api/networks/${network.id}`, { guards: { requireSignature: true } });
      expect(patched.body.guards).toEqual({ ipAllowlist: ['203.0.113.7/32', '2001:db8::/32'], requireSignature: true });
      const cleared = await direct.api<{ guards: unknown }>('PATCH', `/api/networks/${network.id}`, { guards: { ipAllowlist: [], requireSignature: false } });
      expect(cleared.body.guards).toEqual({});
    });

    it('keeps adapter secrets sealed, never returns them, and opens them only to run the adapter', async () => {
      const passphrase = `ds-${randomBytes(8).toString('hex')}`;
      const created = await direct.api<{ id: string; slug: string; adapterConfig: Record<string, unknown> }>('POST', '/api/networks', {
        name: 'Digistore',
        adapter: 'digistore24',
        adapterConfig: { passphrase },
      });
      expect(created.status).toBe(201);
      expect(created.body.adapterConfig).toEqual({ passphrase: '********', clickIdField: 'click_id', payoutField: 'amount_affiliate' });
      for (const res of [await direct.api('GET', `/api/networks/${created.body.id}`), await direct.api('GET', '/api/networks')]) {
        expect(JSON.stringify(res.body)).not.toContain(passphrase);
      }
      const { rows } = await db.query<{ row: string; sealed: string }>(
        "SELECT row_to_json(n)::text AS row, adapter_secrets->>'passphrase' AS sealed FROM networks n WHERE id = $1",
        [created.body.id],
      );
      expect(rows[0].row).not.toContain(passphrase);
      expect(rows[0].sealed).toMatch(/^v1:/);

      // Digistore24's connection test, signed with the passphrase: answered OK only if the adapter got it.
      const ping = (secret: string) => {
        const fields: Record<string, string> = { api_mode: 'live', event: 'connection_test', ipn_version: '1.6' };
        const form = new URLSearchParams({ ...fields, sha_sign: digistoreSignature(fields, secret) }).toString();
        return fetch(`${proxied.url}/postback/${created.body.slug}`, {
          method: 'POST',
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          body: form,
        });
      };
      expect(await (await ping(passphrase)).text()).toBe('OK');
      expect((await ping('wrong')).status).toBe(401);

      // Sending the mask back keeps the secret; a new value replaces it.
      const kept = await direct.api('PATCH', `/api/networks/${created.body.id}`, { adapterConfig: { passphrase: '********', payoutField: 'amount_vendor' } });
      expect(kept.status).toBe(200);
      expect(await (await ping(passphrase)).text()).toBe('OK');
      await direct.api('PATCH', `/api/networks/${created.body.id}`, { adapterConfig: { passphrase: 'rotated-passphrase' } });
      expect((await ping(passphrase)).status).toBe(401);
      expect(await (await ping('rotated-passphrase')).text()).toBe('OK');
    });

    it('stores signing secrets sealed and shows them only once', async () => {
      const { body: network } = await direct.api<{ id: string }>('POST', '/api/networks', { name: 'Signer' });
      const { body: created } = await direct.api<{ id: string; secret: string }>('POST', `/api/networks/${network.id}/signing-secrets`, {});
      const { rows } = await db.query<{ row: string; sealed: string }>(
        'SELECT row_to_json(s)::text AS row, sealed FROM network_signing_secrets s WHERE id = $1',
        [created.id],
      );
      expect(rows[0].sealed).toMatch(/^v1:/);
      expect(rows[0].row).not.toContain(created.secret.slice(6));
      const listed = await direct.api('GET', `/api/networks/${network.id}/signing-secrets`);
      expect(JSON.stringify(listed.body)).not.toContain(created.secret.slice(6));
      expect(listed.body).toEqual([expect.objectContaining({ id: created.id, revokedAt: null })]);
    });

    it('seals adapter secrets that an older version stored in plain text, at boot', async () => {
      const { rows } = await db.query<{ id: string }>(
        `INSERT INTO networks (name, slug, adapter, adapter_config) VALUES ('Legacy', $1, 'digistore24', '{"passphrase":"legacy-plain-secret"}') RETURNING id`,
        [`legacy-${randomBytes(3).toString('hex')}`],
      );
      const third = await PostwireProcess.start({ entry: 'tracker', env: { ...shared, DATABASE_URL: direct.env.DATABASE_URL } });
      try {
        const { rows: after } = await db.query<{ row: string; sealed: string | null }>(
          "SELECT row_to_json(n)::text AS row, adapter_secrets->>'passphrase' AS sealed FROM networks n WHERE id = $1",
          [rows[0].id],
        );
        expect(after[0].row).not.toContain('legacy-plain-secret');
        expect(after[0].sealed).toMatch(/^v1:/);
      } finally {
        await third.dispose();
      }
    });
  });

  describe('admin API keys', () => {
    it('creates read and admin keys; a read key can read but not write or see keys', async () => {
      const read = await direct.api<{ id: string; key: string; scope: string }>('POST', '/api/api-keys', { scope: 'read', label: 'dashboard' });
      expect(read).toMatchObject({ status: 201, body: { scope: 'read', label: 'dashboard', key: expect.any(String) } });
      const as = (key: string, method: string, path: string, body?: unknown) =>
        getJson(`${direct.url}${path}`, {
          method,
          headers: { 'x-api-key': key, ...(body ? { 'content-type': 'application/json' } : {}) },
          body: body ? JSON.stringify(body) : undefined,
        });
      expect((await as(read.body.key, 'GET', '/api/networks')).status).toBe(200);
      expect(await as(read.body.key, 'POST', '/api/networks', { name: 'x' })).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
      expect(await as(read.body.key, 'POST', '/api/api-keys', { scope: 'admin' })).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });
      expect(await as(read.body.key, 'GET', '/api/api-keys')).toMatchObject({ status: 403, body: { error: 'insufficient_scope' } });

      const admin = await direct.api<{ id: string; key: string }>('POST', '/api/api-keys', { scope: 'admin' });
      expect((await as(admin.body.key, 'POST', '/api/networks', { name: 'made by the new admin key' })).status).toBe(201);
      const listed = await direct.api<Array<{ id: string; scope: string }>>('GET', '/api/api-keys');
      expect(listed.body.map((k) => k.id)).toEqual(expect.arrayContaining([read.body.id, admin.body.id]));
      expect(listed.body.every((k) => k.scope === 'admin' || k.scope === 'read')).toBe(true);
      expect(JSON.stringify(listed.body)).not.toMatch(/pw_admin_|pw_read_|hash/i);

      const revoke = await fetch(`${direct.url}/api/api-keys/${read.body.id}`, { method: 'DELETE', headers: { authorization: `Bearer ${admin.body.key}` } });
      expect(revoke.status).toBe(204);
      expect(await as(read.body.key, 'GET', '/api/networks')).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
      expect(await direct.api('POST', '/api/api-keys', { scope: 'network' })).toMatchObject({ status: 400, body: { param: 'scope' } });
      // A network's postback key opens nothing in the admin API.
      const { body: network } = await direct.api<{ id: string }>('POST', '/api/networks', { name: 'Keyed' });
      const { body: netKey } = await direct.api<{ key: string }>('POST', `/api/networks/${network.id}/api-keys`, {});
      expect(await as(netKey.key, 'GET', '/api/networks')).toMatchObject({ status: 401, body: { error: 'invalid_api_key' } });
    });
  });
});
