import { FraudScorer, newClickId, type AuditActor } from '@postwire/core';
import { CampaignRepository } from './repositories/campaign.repository';
import { ClickRepository } from './repositories/click.repository';
import { FraudRescoreRepository } from './repositories/fraud-rescore/fraud-rescore.repository';
import { FraudRescorer, type RescoreProgress, type RescorePlugins } from './repositories/fraud-rescore/fraud-rescorer';
import { FraudRepository } from './repositories/fraud.repository';
import { NetworkRepository } from './repositories/network.repository';
import { OfferRepository } from './repositories/offer.repository';
import { PostbackRecorder, type InboundConversion } from './repositories/postback-recorder';
import { TrafficSourceRepository } from './repositories/traffic-source.repository';
import { AuditLogRepository } from './repositories/audit-log.repository';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from './test-support/databases';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const ACTOR: AuditActor = { type: 'user', id: null, label: 'ops@example.com' };
/** Rows a rescore reads at a time here (1,000 in the app): small, so a few hundred clicks make several batches. */
const BATCH = 100;
const NO_PLUGINS: RescorePlugins = {
  empty: true,
  codes: new Set(),
  scoreClick: () => Promise.resolve({ readings: [], notes: [] }),
  scoreConversion: () => Promise.resolve({ readings: [], notes: [] }),
};

/** Re-scoring past traffic on the embedded PGlite and on a real PostgreSQL: dry run, apply, forwarded traffic, decided holds. */
describe.each(BOTH_DRIVERS)('fraud re-scoring on %s', (driver) => {
  let db: TestDatabase;
  let clicks: ClickRepository;
  let recorder: PostbackRecorder;
  let fraud: FraudRepository;
  let runs: FraudRescoreRepository;
  let rescorer: FraudRescorer;
  const queued: string[] = [];
  let loud: string;
  let quiet: string;
  const from = new Date(Date.now() - 3_600_000);
  const to = () => new Date(Date.now() + 60_000);

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    clicks = new ClickRepository(db.client);
    const scorer = new FraudScorer();
    recorder = new PostbackRecorder(db.client, { fraud: scorer });
    fraud = new FraudRepository(db.client);
    runs = new FraudRescoreRepository(db.client);
    const audit = new AuditLogRepository(db.client);
    rescorer = new FraudRescorer(db.client, runs, scorer, NO_PLUGINS, {
      reportCurrency: 'USD',
      audit: (actor, entries, tx) =>
        audit.record(
          entries.map((e) => ({ ...e, actor })),
          tx,
        ),
      onDeliveries: (ids) => void queued.push(...ids),
      stopping: () => false,
      // Small batches: a few hundred rows cross several batch boundaries (the keyset test), and every run reads in batches.
      batchSize: BATCH,
    });
    const network = await new NetworkRepository(db.client).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db.client).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}', payout: '2.5' });
    const source = await new TrafficSourceRepository(db.client).create({
      name: 'S',
      postbackUrl: 'https://s.example/pb?e={external_id}&status={status}&why={fraud_reason}',
      method: 'GET',
    });
    const campaigns = new CampaignRepository(db.client);
    loud = (await campaigns.create({ name: 'Forwarded', trafficSourceId: source.id, offerId: offer.id })).id;
    quiet = (await campaigns.create({ name: 'Kept quiet', trafficSourceId: source.id, offerId: offer.id })).id;
    await fraud.setPolicy('campaign', quiet, { action: 'dont_forward', actionScore: 60 });
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  async function convert(campaignId: string, userAgent: string): Promise<string> {
    const createdAt = new Date(Date.now() - 60_000);
    const id = newClickId(createdAt.getTime());
    await clicks.insertMany([{ id, campaignId, externalId: 'ext', subs: {}, userAgent, ip: '81.2.69.142', createdAt }]);
    const input: InboundConversion = { channel: 's2s', clickId: id, params: { click_id: id }, receivedAt: new Date() };
    return (await recorder.record(input)).conversionId!;
  }

  async function rescore(request: { dryRun: boolean; sendStatusUpdates?: boolean; campaignId?: string }): Promise<RescoreProgress> {
    const started = await rescorer.start({ from, to: to(), sendStatusUpdates: false, ...request }, ACTOR, 'ops@example.com');
    await started!.done;
    const run = await runs.getRun(started!.runId);
    expect(run).toMatchObject({ state: 'done', error: null, dryRun: request.dryRun });
    return run!.progress as RescoreProgress;
  }

  /** Everything a run may change, to compare before and after. */
  async function everything() {
    const q = async (sql: string) => (await db.client.query(sql)).rows;
    return {
      fraud: await q(`SELECT conversion_id, score, verdict, signals, hold_state, held_until, decided_by FROM conversion_fraud ORDER BY conversion_id`),
      conversions: await q(`SELECT id, status, revision FROM conversions ORDER BY id`),
      history: await q(`SELECT conversion_id, to_status FROM conversion_status_history ORDER BY id`),
      deliveries: await q(`SELECT id, conversion_id, event, url FROM deliveries ORDER BY id`),
      clicks: await q(`SELECT id, fraud_score, fraud_reasons, fraud_suspicious FROM clicks ORDER BY id`),
      clickFigures: await q(`SELECT grain, bucket, campaign_id, suspicious_clicks, bot_clicks FROM click_totals ORDER BY 1, 2, 3`),
      reasonFigures: await q(`SELECT campaign_id, bucket, reason, clicks, suspicious_clicks, bot_clicks FROM fraud_reason_click_rollups ORDER BY 1, 2, 3`),
    };
  }

  const deliveriesOf = async (conversionId: string) =>
    (
      await db.client.query<{ event: string; url: string }>(`SELECT event, url FROM deliveries WHERE conversion_id = $1 ORDER BY created_at, event`, [
        conversionId,
      ])
    ).rows;

  let forwardedBot: string;
  let quietBot: string;
  let clean: string;

  it('a dry run tells what would change and changes nothing; applying changes exactly those conversions', async () => {
    forwardedBot = await convert(loud, GOOGLEBOT);
    clean = await convert(loud, CHROME);
    quietBot = await convert(quiet, GOOGLEBOT);
    expect(await deliveriesOf(forwardedBot)).toHaveLength(1);
    expect(await deliveriesOf(quietBot)).toEqual([]);
    // The operator tightens both campaigns' policies.
    await fraud.setPolicy('campaign', loud, { action: 'reject', actionScore: 60 });
    await fraud.setPolicy('campaign', quiet, { action: 'hold', actionScore: 60 });

    const before = await everything();
    const dry = await rescore({ dryRun: true });
    expect(await everything()).toEqual(before);
    expect(dry.summary.conversions).toMatchObject({ scanned: 3, changed: 2, newlyHeld: 1, newlyRejected: 0, keptForwarded: 1, released: 0 });
    expect(dry.summary.payout).toEqual({
      currency: 'USD',
      newlyHeld: '2.5',
      newlyRejected: '0',
      released: '0',
      declinedWithStatusUpdate: '0',
      unconverted: [],
    });
    // Clicks stored by the repository directly carry no score yet: all three get one.
    expect(dry.summary.clicks).toMatchObject({ scanned: 3, changed: 3, newlySuspicious: 2 });
    const predicted = dry.summary.sample.map((s) => s.conversionId).sort();
    expect(predicted).toEqual([forwardedBot, quietBot].sort());
    expect(dry.summary.sample.find((s) => s.conversionId === quietBot)).toMatchObject({
      action: 'hold',
      before: { verdict: 'dont_forward', reasons: ['bot_user_agent'] },
      after: { verdict: 'hold', score: 80, reasons: ['bot_user_agent'] },
    });

    const applied = await rescore({ dryRun: false });
    expect(applied.summary.conversions).toEqual(dry.summary.conversions);
    const after = await everything();
    const changed = after.fraud.filter((row, i) => JSON.stringify(row) !== JSON.stringify(before.fraud[i])).map((r) => r.conversion_id);
    expect(changed.sort()).toEqual(predicted);
    expect(await fraud.forConversion(quietBot)).toMatchObject({ verdict: 'hold', holdState: 'held' });
    // Already forwarded: its score moves, nothing about its forwarding or status does.
    expect(await fraud.forConversion(forwardedBot)).toMatchObject({ verdict: 'reject', holdState: null });
    expect(after.conversions).toEqual(before.conversions);
    expect(after.deliveries).toEqual(before.deliveries);
    expect(after.clicks.every((c) => c.fraud_score !== null && c.fraud_suspicious !== null)).toBe(true);
    // The click figures moved with the clicks (a dry run, above, moved none).
    expect(after.clickFigures).not.toEqual(before.clickFigures);
    expect(after.reasonFigures).not.toEqual(before.reasonFigures);
    const { rows } = await db.client.query<{ action: string }>(`SELECT action FROM audit_log WHERE entity_id = $1`, [quietBot]);
    expect(rows.map((r) => r.action)).toEqual(['fraud_rescore_hold']);
  });

  it('with status updates, a forwarded conversion now rejected is declined and its source told, once', async () => {
    const applied = await rescore({ dryRun: false, sendStatusUpdates: true, campaignId: loud });
    expect(applied.summary.conversions).toMatchObject({ declinedWithStatusUpdate: 1, keptForwarded: 0 });
    expect(applied.deliveriesQueued).toBe(1);
    expect(queued).toHaveLength(1);
    const { rows } = await db.client.query<{ status: string }>(`SELECT status FROM conversions WHERE id = $1`, [forwardedBot]);
    expect(rows[0].status).toBe('declined');
    expect(await deliveriesOf(forwardedBot)).toEqual([
      expect.objectContaining({ event: 'created' }),
      { event: 'status_changed', url: 'https://s.example/pb?e=ext&status=declined&why=bot_user_agent' },
    ]);
    expect(await fraud.forConversion(forwardedBot)).toMatchObject({ holdState: 'rejected' });
    expect(await fraud.forConversion(clean)).toMatchObject({ verdict: 'allow', holdState: null });
    const again = await rescore({ dryRun: false, sendStatusUpdates: true, campaignId: loud });
    expect(again.summary.conversions).toMatchObject({ changed: 0, keptDecided: 1 });
    expect(await deliveriesOf(forwardedBot)).toHaveLength(2);
  });

  it('a hold the new policy no longer makes is released and forwarded once; a decided hold is left alone', async () => {
    await fraud.setPolicy('campaign', quiet, { action: 'flag' });
    const dry = await rescore({ dryRun: true, campaignId: quiet });
    expect(dry.summary.conversions).toMatchObject({ released: 1 });
    expect(dry.summary.payout.released).toBe('2.5');
    const applied = await rescore({ dryRun: false, campaignId: quiet });
    expect(applied.deliveriesQueued).toBe(1);
    expect(await fraud.forConversion(quietBot)).toMatchObject({ verdict: 'flag', holdState: 'released' });
    expect(await deliveriesOf(quietBot)).toEqual([{ event: 'created', url: 'https://s.example/pb?e=ext&status=approved&why=bot_user_agent' }]);
    // An operator rejects another held one; tightening again does not override that decision.
    await fraud.setPolicy('campaign', quiet, { action: 'hold', actionScore: 60 });
    const held = await convert(quiet, GOOGLEBOT);
    await fraud.reject([held], 'ops@example.com');
    await fraud.setPolicy('campaign', quiet, { action: 'flag' });
    const later = await rescore({ dryRun: false, campaignId: quiet });
    expect(later.summary.conversions).toMatchObject({ keptDecided: 2, released: 0 });
    expect(await fraud.forConversion(held)).toMatchObject({ holdState: 'rejected', decidedBy: 'ops@example.com' });
    expect(await deliveriesOf(held)).toEqual([]);
  });

  it('reads in keyset batches: a range of more clicks than one batch is all scanned, once', async () => {
    // Two and a half batches whose clicks share seven milliseconds: the keyset must order ties by id.
    const many = Array.from({ length: BATCH * 2.5 }, (_, i) => {
      const createdAt = new Date(Date.now() - 120_000 + (i % 7));
      return { id: newClickId(createdAt.getTime()), campaignId: loud, externalId: 'bulk', subs: {}, userAgent: CHROME, ip: '81.2.69.142', createdAt };
    });
    await clicks.insertMany(many);
    const dry = await rescore({ dryRun: true, campaignId: loud });
    const { rows } = await db.client.query<{ n: number }>(`SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1`, [loud]);
    expect(dry.summary.clicks.scanned).toBe(rows[0].n);
  });

  it('an unknown campaign starts no run', async () => {
    expect(
      await rescorer.start({ from, to: to(), dryRun: true, sendStatusUpdates: false, campaignId: '00000000-0000-0000-0000-000000000000' }, ACTOR, 'x'),
    ).toBeUndefined();
  });
});
