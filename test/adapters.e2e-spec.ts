import { join } from 'node:path';
import { isIgnoredEvent, PERSONAL_DATA_REMOVED } from '@postwire/plugin-sdk';
import { loadFixtures, postbacksOf, type LoadedFixture } from '@postwire/plugin-sdk/testing';
import { Client } from 'pg';
import { withOwnClickIds } from './support/own-click-ids';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { listItems } from './support/paged';

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

/** Refusals; an ignored event is not one: the tracker acknowledges an event type the adapter does not use. */
const STATUS_OF_ERROR: Record<string, number> = { bad_parameter: 400, bad_signature: 401 };

/**
 * The fixtures' click ids were minted when the fixtures were written, and a stored click's time is its
 * id's time (clicks are partitioned by it, docs/storage.md): the test stores each click at its id's time,
 * and gives the networks a window that reaches back to it.
 */
const FIXTURE_WINDOW_DAYS = 3650;

/**
 * One app for the whole file: booting it costs more than all of the file's tests. Each adapter gets a network,
 * offer, traffic source and campaign of its own on it, and its fixtures click ids of their own
 * (withOwnClickIds): no adapter's clicks, conversions or forwarded postbacks meet another's.
 */
let app: PostwireProcess;
let db: Client;

beforeAll(async () => {
  app = await PostwireProcess.start({ database: 'postgres' });
  db = new Client({ connectionString: app.env.DATABASE_URL });
  await db.connect();
});

afterAll(async () => {
  await db?.end();
  await app?.dispose();
});

const createNetwork = async (slug: string, { id, config }: (typeof ADAPTERS)[number]) => {
  const network = await app.api<{ id: string }>('POST', '/api/networks', {
    name: `${slug} network`,
    slug,
    adapter: id,
    adapterConfig: config,
    attributionWindowDays: FIXTURE_WINDOW_DAYS,
  });
  expect(network.status).toBe(201);
  return network.body.id;
};

// Fixtures with settings of their own need a network of their own; the rest share one.
const fixturesOf = (id: string) =>
  loadFixtures(join(PLUGINS_DIR, id, 'fixtures'))
    .filter((f) => !f.fixture.config)
    .map((f) => withOwnClickIds(id, f));

const clickIdsOf = (fixtures: LoadedFixture[]) =>
  new Set(
    fixtures.flatMap((f) => (f.fixture.expect && !isIgnoredEvent(f.fixture.expect) ? f.fixture.expect.flatMap((p) => (p.clickId ? [p.clickId] : [])) : [])),
  );

// Each adapter's checks stand on their own only while no click id is two adapters'.
const ownerOfClick = new Map<string, string>();
for (const { id } of ADAPTERS) {
  for (const clickId of clickIdsOf(fixturesOf(id))) {
    if (ownerOfClick.has(clickId)) throw new Error(`click id ${clickId} is both ${ownerOfClick.get(clickId)}'s and ${id}'s`);
    ownerOfClick.set(clickId, id);
  }
}

/**
 * Every adapter end to end: its documented fixtures replayed over HTTP at `/postback/:network` of the built
 * app (byte for byte but for their click ids), into real conversions and a real forwarded postback.
 */
describe.each(ADAPTERS)('adapter $id through /postback/:network', (adapter) => {
  const { id } = adapter;
  let receiver: Receiver;
  let networkId: string;
  const fixtures = fixturesOf(id);
  const successes = fixtures.filter((f) => f.fixture.expect && !isIgnoredEvent(f.fixture.expect) && f.fixture.expect.some((p) => p.clickId));

  beforeAll(async () => {
    receiver = await Receiver.start();
    networkId = await createNetwork(id, adapter);
    const offer = await app.api<{ id: string }>('POST', '/api/offers', {
      name: `${id} offer`,
      networkId,
      url: 'https://offer.example/?c={click_id}',
    });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', {
      name: `${id} source`,
      postbackUrl: `${receiver.url}/pb?ext={external_id}&payout={payout}&status={status}`,
    });
    const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', {
      name: `${id} campaign`,
      trafficSourceId: source.body.id,
      offerId: offer.body.id,
    });
    for (const clickId of clickIdsOf(successes)) {
      await db.query(`INSERT INTO clicks (id, campaign_id, external_id, created_at) VALUES ($1, $2, $3, coalesce(click_id_time($1), now()))`, [
        clickId,
        campaign.body.id,
        `ext-${id}`,
      ]);
    }
  });

  afterAll(async () => {
    await receiver?.close();
  });

  const replay = async (loaded: LoadedFixture) => {
    const req = loaded.fixture.request;
    const query = new URLSearchParams(req.query ?? {}).toString();
    const headers: Record<string, string> = { ...(req.headers ?? {}) };
    if (req.contentType) headers['content-type'] = req.contentType;
    const res = await fetch(`${app.url}/postback/${id}${query ? `?${query}` : ''}`, {
      method: req.method,
      headers,
      body: req.method === 'POST' ? (req.body ?? '') : undefined,
    });
    return { status: res.status, text: await res.text() };
  };

  it('turns its first documented conversion into a stored conversion and a forwarded postback', async () => {
    expect(successes.length).toBeGreaterThan(0);
    const first = successes[0];
    const res = await replay(first);
    expect(res.status).toBe(first.fixture.response?.status ?? 200);
    if (first.fixture.response) expect(res.text).toBe(first.fixture.response.body);
    else expect(JSON.parse(res.text).status).toBe('accepted');
    const expected = postbacksOf(first.fixture.expect!)[0];
    const conversions = await listItems<{ status: string; payout: string | null; txid: string | null }>(app, `/api/conversions?clickId=${expected.clickId}`);
    expect(conversions).toHaveLength(1);
    expect(conversions[0].status).toBe(expected.status ?? 'approved');
    if (expected.txid) expect(conversions[0].txid).toBe(expected.txid);
    if (expected.payout) expect(Number(conversions[0].payout)).toBe(Number(expected.payout));
    const [hit] = await receiver.waitFor(1);
    expect(hit.query.get('ext')).toBe(`ext-${id}`);
  });

  it('answers every other fixture as documented (success and unknown events 2xx, refusals 400/401 with their code)', async () => {
    for (const loaded of fixtures.slice()) {
      if (loaded === successes[0]) continue;
      const res = await replay(loaded);
      const code = loaded.fixture.expectError;
      if (code) {
        expect({ name: loaded.fixture.name, status: res.status }).toEqual({ name: loaded.fixture.name, status: STATUS_OF_ERROR[code] });
        expect(JSON.parse(res.text).error).toBe(code);
      } else {
        expect({ name: loaded.fixture.name, status: res.status }).toEqual({ name: loaded.fixture.name, status: loaded.fixture.response?.status ?? 200 });
        if (loaded.fixture.response) expect(res.text).toBe(loaded.fixture.response.body);
      }
    }
  });

  it('gives the ready-to-paste postback URL for its network', async () => {
    const url = await app.api<{ url: string }>('GET', `/api/networks/${networkId}/postback-url`);
    expect(url.status).toBe(200);
    expect(url.body.url.startsWith(`${app.env.PUBLIC_URL ?? `http://localhost:${app.port}`}/postback/${id}`)).toBe(true);
  });
});

/**
 * What networks really send, end to end over HTTP (issue: adapters that refused real traffic):
 * real payload sizes, the answers networks expect, and status rules that need the stored status.
 */

describe('adapters with what networks really send', () => {
  let receiver: Receiver;
  let campaignId: string;
  const networkIds: Record<string, string> = {};
  // Networks of their own, apart from the fixtures' above: txids are unique per network, and this IPN repeats
  // Digistore24's 23650507. The fixtures are replayed as they are: their click ids are free here (withOwnClickIds).
  const postbackPath = (adapter: string) => `/postback/real-${adapter}`;
  const fixture = (adapter: string, file: string) => {
    const found = loadFixtures(join(PLUGINS_DIR, adapter, 'fixtures')).find((f) => f.file === file);
    if (!found) throw new Error(`no fixture ${adapter}/${file}`);
    return found.fixture;
  };
  const click = async (clickId: string, networkSlug: string) => {
    const offer = await app.api<{ id: string }>('POST', '/api/offers', {
      name: `offer ${clickId}`,
      networkId: networkIds[networkSlug],
      url: 'https://offer.example/?c={click_id}',
    });
    const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', { name: `c ${clickId}`, trafficSourceId: campaignId, offerId: offer.body.id });
    await db.query(`INSERT INTO clicks (id, campaign_id, external_id, created_at) VALUES ($1, $2, 'ext', coalesce(click_id_time($1), now()))`, [
      clickId,
      campaign.body.id,
    ]);
  };
  const send = async (path: string, init: { method: 'GET' | 'POST'; query?: Record<string, string>; contentType?: string; body?: string }) => {
    const query = new URLSearchParams(init.query ?? {}).toString();
    const res = await fetch(`${app.url}${path}${query ? `?${query}` : ''}`, {
      method: init.method,
      headers: init.contentType ? { 'content-type': init.contentType } : {},
      body: init.method === 'POST' ? (init.body ?? '') : undefined,
    });
    return { status: res.status, text: await res.text() };
  };
  const replay = (adapter: string, file: string) => {
    const req = fixture(adapter, file).request;
    return send(postbackPath(adapter), { method: req.method, query: req.query, contentType: req.contentType, body: req.body });
  };
  // What a request booked or logged as received; a refused request's own row (outcome refused) is checked apart.
  const count = async (table: 'postbacks' | 'conversions') =>
    Number((await db.query(`SELECT count(*) AS n FROM ${table}${table === 'postbacks' ? " WHERE outcome <> 'refused'" : ''}`)).rows[0].n);
  const lastLog = async () =>
    (
      await db.query<{ outcome: string; reason: string | null; click_id: string | null; canonical: Record<string, string> }>(
        `SELECT outcome, reason, click_id, canonical FROM postbacks WHERE outcome <> 'refused' ORDER BY received_at DESC, id DESC LIMIT 1`,
      )
    ).rows[0];
  const conversion = async (clickId: string) => {
    return listItems<{ status: string; payout: string | null; revenue: string | null; txid: string | null; goal: string }>(
      app,
      `/api/conversions?clickId=${clickId}`,
    );
  };

  beforeAll(async () => {
    receiver = await Receiver.start();
    for (const adapter of ADAPTERS.filter((a) => a.id !== 'generic')) networkIds[adapter.id] = await createNetwork(`real-${adapter.id}`, adapter);
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'real source', postbackUrl: `${receiver.url}/pb?status={status}` });
    campaignId = source.body.id;
  });

  afterAll(async () => {
    await receiver?.close();
  });

  describe('Digistore24', () => {
    it('answers a 170-field signed IPN with line breaks OK and makes one conversion with its txid and amounts', async () => {
      const ipn = fixture('digistore24', '15-payment-170-fields.json');
      expect(new URLSearchParams(ipn.request.body).size).toBe(170);
      expect(ipn.request.body).toContain('%0D%0A');
      await click(postbacksOf(ipn.expect!)[0].clickId!, 'digistore24');
      const res = await replay('digistore24', '15-payment-170-fields.json');
      expect(res).toEqual({ status: 200, text: 'OK' });
      expect(await conversion(postbacksOf(ipn.expect!)[0].clickId!)).toEqual([expect.objectContaining({ status: 'approved', txid: '23650507', goal: 'sale' })]);
      const [stored] = await conversion(postbacksOf(ipn.expect!)[0].clickId!);
      expect([Number(stored.payout), Number(stored.revenue)]).toEqual([15.85, 37]);
      // The same IPN again (Digistore24 repeats calls): still OK, still one conversion.
      expect(await replay('digistore24', '15-payment-170-fields.json')).toEqual({ status: 200, text: 'OK' });
      expect(await conversion(postbacksOf(ipn.expect!)[0].clickId!)).toHaveLength(1);
    });

    it("keeps the IPN's fields in the postback log but not the buyer's name, e-mail, address or phone", async () => {
      const ipn = fixture('digistore24', '15-payment-170-fields.json');
      const sent = Object.fromEntries(new URLSearchParams(ipn.request.body));
      expect(sent.email).toContain('@');
      const clickId = postbacksOf(ipn.expect!)[0].clickId!;
      if (!(await db.query(`SELECT 1 FROM clicks WHERE id = $1`, [clickId])).rowCount) await click(clickId, 'digistore24');
      expect(await replay('digistore24', '15-payment-170-fields.json')).toEqual({ status: 200, text: 'OK' });
      // The row that booked the conversion keeps the IPN's fields; a repeat keeps a capped excerpt, also without the buyer's data.
      const latest = await db.query<{ params: Record<string, unknown> }>(`SELECT params FROM postbacks WHERE click_id = $1 ORDER BY received_at DESC LIMIT 1`, [
        clickId,
      ]);
      expect(JSON.stringify(latest.rows[0].params)).not.toContain(sent.email);
      const { rows } = await db.query<{ params: Record<string, unknown> }>(
        `SELECT params FROM postbacks WHERE click_id = $1 AND outcome = 'accepted' ORDER BY received_at DESC LIMIT 1`,
        [clickId],
      );
      expect(rows).toHaveLength(1);
      const logged = (rows[0].params.body ?? rows[0].params) as Record<string, unknown>;
      for (const field of ['email', 'address_first_name', 'address_last_name', 'address_street', 'address_phone_no', 'buyer_email']) {
        expect([field, logged[field]]).toEqual([field, PERSONAL_DATA_REMOVED]);
      }
      // What attribution and a later reconciliation need stays as sent.
      expect([logged.order_id, logged.product_name]).toEqual([sent.order_id, sent.product_name]);
      for (const value of ['mustermann', 'Musterstr', '+49 30']) expect(JSON.stringify(rows[0].params)).not.toContain(value);
    });

    it('answers the plain GET check of the IPN URL with 200 OK and stores nothing', async () => {
      const before = await count('postbacks');
      expect(await send(postbackPath('digistore24'), { method: 'GET' })).toEqual({ status: 200, text: 'OK' });
      expect(await count('postbacks')).toBe(before);
    });

    it('answers a sale without click id OK and logs it unattributed with its txid and amounts', async () => {
      const res = await replay('digistore24', '16-payment-without-click-id.json');
      expect(res).toEqual({ status: 200, text: 'OK' });
      expect(await lastLog()).toMatchObject({
        outcome: 'unattributed',
        reason: 'no_click_id',
        click_id: null,
        canonical: { txid: '23650999', payout: '15.85', revenue: '37', currency: 'EUR' },
      });
      // A reconciliation finds it through the admin API.
      const log = await app.api<{ items: Array<{ clickId: string | null; reason: string; canonical: { txid?: string } | null }> }>(
        'GET',
        `/api/postbacks?outcome=unattributed&networkId=${networkIds.digistore24}`,
      );
      expect(log.body.items).toEqual(
        expect.arrayContaining([expect.objectContaining({ clickId: null, reason: 'no_click_id', canonical: expect.objectContaining({ txid: '23650999' }) })]),
      );
    });

    it('answers an event type it does not know OK and logs it ignored with the event name', async () => {
      const conversionsBefore = await count('conversions');
      expect(await replay('digistore24', '13-unknown-event.json')).toEqual({ status: 200, text: 'OK' });
      expect(await lastLog()).toMatchObject({ outcome: 'ignored', reason: 'unsupported_event:on_something_new' });
      expect(await count('conversions')).toBe(conversionsBefore);
    });

    it('still refuses a bad signature with 401 and stores nothing', async () => {
      const before = await count('postbacks');
      const res = await replay('digistore24', '12-amount-changed-after-signing.json');
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text).error).toBe('bad_signature');
      expect(await count('postbacks')).toBe(before);
    });

    it('refuses a body over its declared size with 413 and stores nothing', async () => {
      const before = await count('postbacks');
      const res = await send(postbackPath('digistore24'), {
        method: 'POST',
        contentType: 'application/x-www-form-urlencoded',
        body: `event=on_payment&note=${'x'.repeat(300 * 1024)}`,
      });
      expect(res.status).toBe(413);
      expect(JSON.parse(res.text).error).toBe('body_too_large');
      expect(await count('postbacks')).toBe(before);
    });
  });

  describe('ClickBank', () => {
    it('accepts a notification of 3,480 characters (an ordinary three-item order) with 200', async () => {
      // The fixture's order, for a click of its own (the fixture shares its click id with Digistore24's).
      const maker = require(join(PLUGINS_DIR, 'clickbank/fixtures/make-fixtures.js'));
      const clickId = '01jbq3x7tm9c4kz2v8w5r6n0hdaeph';
      const body: string = maker.envelope('e2e-full-order', maker.fullOrder({ trackingCodes: [clickId], vendorVariables: { tid: clickId } }));
      expect(JSON.parse(body).notification.length).toBeGreaterThan(2048);
      await click(clickId, 'clickbank');
      const res = await send(postbackPath('clickbank'), { method: 'POST', contentType: 'application/json', body });
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text).status).toBe('accepted');
      const stored = await conversion(clickId);
      expect(stored).toEqual([expect.objectContaining({ status: 'approved', txid: 'P8WQ4LZT' })]);
      expect([Number(stored[0].payout), Number(stored[0].revenue)]).toEqual([71.4, 157.82]);
    });

    it('answers a sale without trackingCodes 200 and logs it unattributed with its receipt and amounts', async () => {
      const res = await replay('clickbank', '16-sale-without-tracking-codes.json');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ status: 'unattributed', reason: 'no_click_id' });
      expect(await lastLog()).toMatchObject({
        outcome: 'unattributed',
        click_id: null,
        canonical: { txid: 'R2MV9KXD', payout: '71.4', revenue: '157.82', currency: 'USD' },
      });
    });

    it('acknowledges an unknown transaction type with 200', async () => {
      const res = await replay('clickbank', '13-unknown-transaction-type.json');
      expect(res.status).toBe(200);
      expect(JSON.parse(res.text)).toMatchObject({ status: 'ignored', reason: 'unsupported_event:SOMETHING-NEW' });
    });
  });

  describe('impact.com REVERSED', () => {
    const notify = (clickId: string, actionId: string, Status: string) =>
      send(postbackPath('impact'), {
        method: 'GET',
        query: { SubId1: clickId, ActionId: actionId, ActionTrackerId: '2240', Status, Payout: '3.00', Amount: '60.00', Currency: 'USD' },
      });

    it('declines an action that is still pending', async () => {
      const clickId = '01hq3v8x2c7n4p6r9t0w5y1z3a8b70';
      await click(clickId, 'impact');
      expect((await notify(clickId, '1000.1.1', 'PENDING')).status).toBe(200);
      const reversed = await notify(clickId, '1000.1.1', 'REVERSED');
      expect(JSON.parse(reversed.text).status).toBe('updated');
      expect((await conversion(clickId))[0].status).toBe('declined');
    });

    it('refunds an action that was approved', async () => {
      const clickId = '01hq3v8x2c7n4p6r9t0w5y1z3a8b71';
      await click(clickId, 'impact');
      await notify(clickId, '1000.1.2', 'PENDING');
      await notify(clickId, '1000.1.2', 'APPROVED');
      expect(JSON.parse((await notify(clickId, '1000.1.2', 'REVERSED')).text).status).toBe('updated');
      expect((await conversion(clickId))[0].status).toBe('refunded');
    });
  });

  describe('TUNE', () => {
    it('books goal_id=0 on the default goal, where its pixel twin is', async () => {
      const clickId = '01hq3v8x2c7n4p6r9t0w5y1z3a8b72';
      await click(clickId, 'tune');
      const pixel = await fetch(`${app.url}/pixel.gif?click_id=${clickId}&payout=2.00`);
      expect(pixel.status).toBe(200);
      const res = await send(postbackPath('tune'), {
        method: 'GET',
        query: { aff_sub: clickId, goal_id: '0', payout: '2.50', transaction_id: '102f3c1a4b0e' },
      });
      expect(JSON.parse(res.text).status).toBe('updated');
      const stored = await conversion(clickId);
      expect(stored).toEqual([expect.objectContaining({ goal: '' })]);
      expect(Number(stored[0].payout)).toBe(2.5);
    });
  });

  describe('the generic /postback keeps its strict limits', () => {
    it('refuses 65 parameters, a line break and a value over 2,048 characters, storing nothing', async () => {
      const before = await count('postbacks');
      const many = Object.fromEntries(Array.from({ length: 65 }, (_, i) => [`p${i}`, 'x']));
      for (const body of [new URLSearchParams(many).toString(), 'click_id=abc&note=a%0D%0Ab', `click_id=abc&note=${'x'.repeat(2049)}`]) {
        const res = await send('/postback', { method: 'POST', contentType: 'application/x-www-form-urlencoded', body });
        expect({ body: body.slice(0, 40), status: res.status }).toEqual({ body: body.slice(0, 40), status: 400 });
      }
      expect(await count('postbacks')).toBe(before);
    });
  });
});
