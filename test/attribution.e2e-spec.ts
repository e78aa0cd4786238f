import { newClickId } from '@postwire/core';
import { Client } from 'pg';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { forwardingSettled } from './support/forwarding-settled';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { listItems } from './support/paged';

/**
 * The attribution rules over real HTTP against the built app on PostgreSQL: races, statuses,
 * windows, late clicks and the pixel/S2S merge with S2S authoritative.
 */
describe('attribution over HTTP', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let db: Client;
  let drop: () => Promise<void>;
  let setup: Setup;

  beforeAll(async () => {
    receiver = await Receiver.start();
    const database = await createPostgresDatabase();
    drop = database.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: database.url, FORWARD_RETRY_SCHEDULE: '0,300ms' } });
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

  beforeEach(() => {
    receiver.requests.length = 0;
  });

  const postback = (query: string) => getJson<{ status: string; conversion_id?: string; reason?: string }>(`${app.url}/postback?${query}`);
  const pixel = async (query: string, headers: Record<string, string> = {}) => {
    const res = await fetch(`${app.url}/pixel.gif?${query}`, { headers });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/gif');
    const gif = Buffer.from(await res.arrayBuffer());
    expect(gif.subarray(0, 6).toString('latin1')).toBe('GIF89a');
    expect(gif.length).toBeLessThan(64);
  };
  const conversionsOf = async (clickId: string) =>
    listItems<{ id: string; source: string; pixelSeen: boolean; payout: string; status: string; txid: string | null }>(
      app,
      `/api/conversions?clickId=${clickId}`,
    );
  // Forwarding is done with this click's deliveries: from here on nothing more can arrive for it.
  const settle = (clickId: string) => forwardingSettled(app, { clickId });

  it('turns 50 identical postbacks fired at once into one conversion and one forwarded postback', async () => {
    const clickId = await click(app, setup.campaignId);
    const answers = await Promise.all(Array.from({ length: 50 }, () => postback(`click_id=${clickId}&txid=race-1&payout=7`)));
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers.filter((a) => a.body.status === 'accepted')).toHaveLength(1);
    expect(answers.filter((a) => a.body.status === 'duplicate')).toHaveLength(49);
    expect(new Set(answers.map((a) => a.body.conversion_id)).size).toBe(1);
    await receiver.waitFor(1);
    await settle(clickId);
    expect(receiver.requests).toHaveLength(1);
    expect(await conversionsOf(clickId)).toHaveLength(1);
  });

  it('forwards each status change so the traffic source learns of a refund, and ignores a move back', async () => {
    const clickId = await click(app, setup.campaignId);
    expect((await postback(`click_id=${clickId}&status=lead&payout=1`)).body.status).toBe('accepted');
    expect((await postback(`click_id=${clickId}&status=sale&payout=5`)).body.status).toBe('updated');
    const back = await postback(`click_id=${clickId}&status=pending`);
    expect(back.body).toMatchObject({ status: 'ignored', reason: expect.stringContaining('approved->pending') });
    expect((await postback(`click_id=${clickId}&status=chargeback`)).body.status).toBe('updated');
    const hits = await receiver.waitFor(3);
    await settle(clickId);
    expect(receiver.requests.map((r) => [r.query.get('status'), r.query.get('payout')])).toEqual([
      ['pending', '1'],
      ['approved', '5'],
      ['refunded', '5'],
    ]);
    expect(hits).toHaveLength(3);
    const [conversion] = await conversionsOf(clickId);
    const detail = await app.api<{ history: Array<{ from: string | null; to: string }> }>('GET', `/api/conversions/${conversion.id}`);
    expect(detail.body.history.map((h) => `${h.from}->${h.to}`)).toEqual(['null->pending', 'pending->approved', 'approved->refunded']);
  });

  it('pixel first: provisional, not forwarded; S2S later takes over the same conversion and is forwarded once', async () => {
    const clickId = await click(app, setup.campaignId);
    await pixel(`click_id=${clickId}&payout=9`);
    let [conversion] = await conversionsOf(clickId);
    expect(conversion).toMatchObject({ source: 'pixel', payout: '9.000000' });
    await settle(clickId);
    expect(receiver.requests).toHaveLength(0);
    const s2s = await postback(`click_id=${clickId}&payout=3.5&txid=net-77`);
    expect(s2s.body).toEqual({ status: 'updated', conversion_id: conversion.id });
    [conversion] = await conversionsOf(clickId);
    expect(conversion).toMatchObject({ source: 's2s', payout: '3.500000', txid: 'net-77', pixelSeen: true });
    const [hit] = await receiver.waitFor(1);
    expect(hit.query.get('payout')).toBe('3.5');
    await settle(clickId);
    expect(receiver.requests).toHaveLength(1);
    expect(await conversionsOf(clickId)).toHaveLength(1);
  });

  it('S2S first: a later pixel only confirms, values unchanged, nothing new forwarded', async () => {
    const clickId = await click(app, setup.campaignId);
    await postback(`click_id=${clickId}&payout=4`);
    await receiver.waitFor(1);
    await pixel(`click_id=${clickId}&payout=99`);
    const [conversion] = await conversionsOf(clickId);
    expect(conversion).toMatchObject({ source: 's2s', payout: '4.000000', pixelSeen: true });
    await settle(clickId);
    expect(receiver.requests).toHaveLength(1);
  });

  it('finds the click from the first-party cookie when the pixel has no click id', async () => {
    const res = await fetch(`${app.url}/c/${setup.campaignId}?external_id=cookie-user`, { redirect: 'manual' });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^pw_click=[0-9a-z]{30};.*HttpOnly/);
    const clickId = new URL(res.headers.get('location')!).searchParams.get('cid')!;
    await pixel('goal=signup', { cookie: cookie.split(';')[0] });
    const [conversion] = await conversionsOf(clickId);
    expect(conversion).toMatchObject({ source: 'pixel' });
  });

  it('answers the pixel with a GIF even for garbage', async () => {
    await pixel('click_id=nope&payout=abc&payout=1&status=%00');
    await pixel('');
  });

  it('reports pixel-only, S2S-only and both per campaign and day', async () => {
    const report = await app.api<Array<{ campaignId: string; pixelOnly: number; s2sOnly: number; both: number; total: number }>>(
      'GET',
      `/api/reports/reconciliation?campaignId=${setup.campaignId}`,
    );
    expect(report.status).toBe(200);
    const { rows } = await db.query(
      `SELECT count(*) FILTER (WHERE source='pixel')::int AS p, count(*) FILTER (WHERE source='s2s' AND NOT pixel_seen)::int AS s, count(*) FILTER (WHERE source='s2s' AND pixel_seen)::int AS b FROM conversions WHERE campaign_id = $1`,
      [setup.campaignId],
    );
    const sum = report.body.reduce((acc, r) => ({ p: acc.p + r.pixelOnly, s: acc.s + r.s2sOnly, b: acc.b + r.both }), { p: 0, s: 0, b: 0 });
    expect(sum).toEqual(rows[0]);
    expect(sum.p).toBeGreaterThanOrEqual(1);
    expect(sum.b).toBeGreaterThanOrEqual(2);
  });

  it('rejects a postback for a click older than the network window, and logs it', async () => {
    // A click's id carries its time (docs/storage.md): this one was made 31 days ago.
    const clickId = newClickId(Date.now() - 31 * 24 * 3600 * 1000);
    await db.query(`INSERT INTO clicks (id, campaign_id, created_at) VALUES ($1, $2, click_id_time($1))`, [clickId, setup.campaignId]);
    const res = await postback(`click_id=${clickId}&payout=1`);
    expect(res.body).toEqual({ status: 'rejected', reason: 'outside_window' });
    const log = await app.api<{ items: Array<{ outcome: string; reason: string }> }>('GET', `/api/postbacks?clickId=${clickId}`);
    expect(log.body.items).toMatchObject([{ outcome: 'rejected', reason: 'outside_window' }]);
    expect(await conversionsOf(clickId)).toHaveLength(0);
  });

  it('attributes a postback whose click is written after it, and forwards it', async () => {
    const clickId = newClickId();
    const early = await postback(`click_id=${clickId}&payout=6&txid=early-e2e`);
    expect(early.body.status).toBe('unattributed');
    await db.query(`INSERT INTO clicks (id, campaign_id, external_id, created_at) VALUES ($1, $2, 'late-ext', now())`, [clickId, setup.campaignId]);
    const [hit] = await receiver.waitFor(1);
    expect(hit.query.get('ext')).toBe('late-ext');
    expect(hit.query.get('payout')).toBe('6');
    expect(await conversionsOf(clickId)).toMatchObject([{ txid: 'early-e2e' }]);
  });

  it('allows several conversions per click for a goal set to many-per-click', async () => {
    const set = await app.api('PUT', `/api/offers/${setup.offerId}/goals/rebill`, { manyPerClick: true });
    expect(set).toMatchObject({ status: 200, body: { goal: 'rebill', manyPerClick: true } });
    const clickId = await click(app, setup.campaignId);
    const a = await postback(`click_id=${clickId}&goal=rebill&txid=r-1&payout=10`);
    const b = await postback(`click_id=${clickId}&goal=rebill&txid=r-2&payout=10`);
    expect([a.body.status, b.body.status]).toEqual(['accepted', 'accepted']);
    const missing = await postback(`click_id=${clickId}&goal=rebill&payout=10`);
    expect(missing).toMatchObject({ status: 400, body: { param: 'txid' } });
    expect(await conversionsOf(clickId)).toHaveLength(2);
  });
});
