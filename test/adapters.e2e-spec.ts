import { join } from 'node:path';
import { loadFixtures, type LoadedFixture } from '@postwire/plugin-sdk/testing';
import { Client } from 'pg';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';

const PLUGINS_DIR = join(__dirname, '..', 'plugins');

/** Each shipped adapter with the settings its fixtures were made for. */
const ADAPTERS: Array<{ id: string; config: Record<string, unknown> }> = [
  { id: 'generic', config: {} },
  { id: 'everflow', config: {} },
  { id: 'affise', config: {} },
  { id: 'impact', config: {} },
  { id: 'tune', config: {} },
  { id: 'clickbank', config: { secretKey: require(join(PLUGINS_DIR, 'clickbank/fixtures/make-fixtures.js')).SECRET_KEY } },
  { id: 'digistore24', config: { passphrase: require(join(PLUGINS_DIR, 'digistore24/fixtures/make-fixtures.js')).PASSPHRASE } },
];

const STATUS_OF_ERROR: Record<string, number> = { bad_parameter: 400, unsupported_event: 400, bad_signature: 401 };

/**
 * Every adapter end to end: its documented fixtures replayed byte for byte over HTTP at
 * `/postback/:network` of the built app, into real conversions and a real forwarded postback.
 */
describe.each(ADAPTERS)('adapter $id through /postback/:network', ({ id, config }) => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let db: Client;
  let drop: () => Promise<void>;
  // Fixtures with settings of their own need a network of their own; the rest share one.
  const fixtures = loadFixtures(join(PLUGINS_DIR, id, 'fixtures')).filter((f) => !f.fixture.config);
  const successes = fixtures.filter((f) => f.fixture.expect && f.fixture.expect.length > 0);

  beforeAll(async () => {
    receiver = await Receiver.start();
    const database = await createPostgresDatabase();
    drop = database.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: database.url } });
    db = new Client({ connectionString: database.url });
    await db.connect();
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: `${id} network`, slug: id, adapter: id, adapterConfig: config });
    expect(network.status).toBe(201);
    const offer = await app.api<{ id: string }>('POST', '/api/offers', { name: 'offer', networkId: network.body.id, url: 'https://offer.example/?c={click_id}' });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'source', postbackUrl: `${receiver.url}/pb?ext={external_id}&payout={payout}&status={status}` });
    const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', { name: 'c', trafficSourceId: source.body.id, offerId: offer.body.id });
    const clickIds = new Set(successes.flatMap((f) => f.fixture.expect!.map((p) => p.clickId!)));
    for (const clickId of clickIds) {
      await db.query(`INSERT INTO clicks (id, campaign_id, external_id, created_at) VALUES ($1, $2, $3, now())`, [clickId, campaign.body.id, `ext-${id}`]);
    }
  });

  afterAll(async () => {
    await db?.end();
    await app?.dispose();
    await receiver?.close();
    await drop?.();
  });

  const replay = async (loaded: LoadedFixture) => {
    const req = loaded.fixture.request;
    const query = new URLSearchParams(req.query ?? {}).toString();
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (req.contentType) headers['content-type'] = req.contentType;
    const res = await fetch(`${app.url}/postback/${id}${query ? `?${query}` : ''}`, { method: req.method, headers, body: req.method === 'POST' ? (req.body ?? '') : undefined });
    return { status: res.status, text: await res.text() };
  };

  it('turns its first documented conversion into a stored conversion and a forwarded postback', async () => {
    expect(successes.length).toBeGreaterThan(0);
    const first = successes[0];
    const res = await replay(first);
    expect(res.status).toBe(first.fixture.response?.status ?? 200);
    if (first.fixture.response) expect(res.text).toBe(first.fixture.response.body);
    else expect(JSON.parse(res.text).status).toBe('accepted');
    const expected = first.fixture.expect![0];
    const conversions = await app.api<Array<{ status: string; payout: string | null; txid: string | null }>>('GET', `/api/conversions?clickId=${expected.clickId}`);
    expect(conversions.body).toHaveLength(1);
    expect(conversions.body[0].status).toBe(expected.status ?? 'approved');
    if (expected.txid) expect(conversions.body[0].txid).toBe(expected.txid);
    if (expected.payout) expect(Number(conversions.body[0].payout)).toBe(Number(expected.payout));
    const [hit] = await receiver.waitFor(1);
    expect(hit.query.get('ext')).toBe(`ext-${id}`);
  });

  it('answers every other fixture as documented (success 2xx, refusals 400/401 with their code)', async () => {
    for (const loaded of fixtures.slice()) {
      if (loaded === successes[0]) continue;
      const res = await replay(loaded);
      const code = loaded.fixture.expectError;
      if (code) {
        expect({ name: loaded.fixture.name, status: res.status }).toEqual({ name: loaded.fixture.name, status: STATUS_OF_ERROR[code] });
        expect(JSON.parse(res.text).error).toBe(code);
      } else {
        expect({ name: loaded.fixture.name, status: res.status }).toEqual({ name: loaded.fixture.name, status: loaded.fixture.response?.status ?? 200 });
      }
    }
  });

  it('gives the ready-to-paste postback URL for its network', async () => {
    const networks = await app.api<Array<{ id: string }>>('GET', '/api/networks');
    const url = await app.api<{ url: string }>('GET', `/api/networks/${networks.body[0].id}/postback-url`);
    expect(url.status).toBe(200);
    expect(url.body.url.startsWith(`${app.env.PUBLIC_URL ?? `http://localhost:${app.port}`}/postback/${id}`)).toBe(true);
  });
});
