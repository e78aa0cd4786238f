import { FraudScorer, newClickId } from '@postwire/core';
import { ClickRepository, FraudRepository, PostbackRecorder } from '@postwire/persistence';
import type { FraudScorerPlugin, ScorerConversion } from '@postwire/plugin-sdk';
import { BOTH_DRIVERS, openTestDatabase, type TestDatabase } from '../../../persistence/src/test-support/databases';
import { seedCampaign } from '../../../persistence/src/test-support/seed-campaign';
import { PluginScoring } from './plugin-scoring';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const LISTED_IP = '203.0.113.9';

/** A scorer as a plugin would declare it: lists one address, and remembers what it was asked. */
function listingScorer(): FraudScorerPlugin & { asked: ScorerConversion[] } {
  const asked: ScorerConversion[] = [];
  return {
    id: 'test-rep',
    description: 'lists one address',
    reasons: [{ code: 'test-rep:listed', defaultWeight: 60, label: 'IP on the test list' }],
    asked,
    scoreConversion(conversion) {
      asked.push(conversion);
      const listed = conversion.click.ip === LISTED_IP;
      return { outcome: 'scored', signals: [{ code: 'test-rep:listed', fired: listed, value: conversion.click.ip ?? '', threshold: 'on the list' }] };
    },
  };
}

/** A scorer that never answers: only its abort signal ends its wait. */
function hangingScorer(): FraudScorerPlugin & { aborted: boolean[] } {
  const aborted: boolean[] = [];
  return {
    id: 'hang',
    description: 'never answers',
    reasons: [{ code: 'hang:late', defaultWeight: 100, label: 'never seen' }],
    aborted,
    scoreConversion(_conversion, ctx) {
      return new Promise((resolve) =>
        ctx.signal.addEventListener('abort', () => {
          aborted.push(true);
          resolve({ outcome: 'scored', signals: [{ code: 'hang:late', fired: true, value: 'too late', threshold: '' }] });
        }),
      );
    },
  };
}

/**
 * Scorer plugins on live conversions, on the embedded PGlite and a real PostgreSQL: the recorder asks them in its batch, before the
 * fraud screen, with the intake timeout. A plugin's reading holds a conversion like a built-in one; a plugin
 * that hangs is cut at the timeout and the conversion is recorded with the note; scoring off asks nobody.
 */
describe.each(BOTH_DRIVERS)('scorer plugins at conversion intake on %s', (driver) => {
  let db: TestDatabase;
  let campaignId: string;
  let fraud: FraudRepository;

  beforeAll(async () => {
    db = await openTestDatabase(driver);
    campaignId = (await seedCampaign(db.client)).campaign.id;
    fraud = new FraudRepository(db.client);
    // A hold policy: a score of 50 or more is held for review.
    await fraud.setPolicy('campaign', campaignId, { flagScore: 30, actionScore: 50, action: 'hold' });
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  /** A click two minutes old from `ip`, as the click writer would have stored it. */
  async function click(ip: string): Promise<string> {
    const at = Date.now() - 120_000;
    const id = newClickId(at);
    await new ClickRepository(db.client).insertMany([{ id, campaignId, subs: { sub1: 'zone-7' }, ip, userAgent: CHROME, createdAt: new Date(at) }]);
    return id;
  }

  function recorderWith(scorers: FraudScorerPlugin[], timeoutMs: number, scoring = true): PostbackRecorder {
    const scorer = new FraudScorer();
    const plugins = new PluginScoring(scorers, timeoutMs);
    scorer.adoptPluginWeights(Object.fromEntries(scorers.flatMap((s) => s.reasons.map((r) => [r.code, r.defaultWeight]))));
    // The way the app hands them over: after the recorder is made (FraudPlugins).
    const recorder = new PostbackRecorder(db.client, { fraud: scoring ? scorer : undefined });
    recorder.adoptScorerPlugins(plugins);
    return recorder;
  }

  it("holds a conversion whose plugin reading fires under a hold policy, and shows the plugin's signal in the trace", async () => {
    const scorer = listingScorer();
    const recorder = recorderWith([scorer], 1000);
    const clickId = await click(LISTED_IP);
    const result = await recorder.record({ channel: 's2s', clickId, payout: '3.50', params: {}, receivedAt: new Date() });
    expect(result.outcome).toBe('accepted');
    // Held: nothing is forwarded to the traffic source.
    expect(result.deliveryIds).toEqual([]);
    const stored = (await fraud.forConversion(result.conversionId!))!;
    expect(stored).toMatchObject({ score: 60, verdict: 'hold', holdState: 'held', notes: [] });
    expect(stored.signals.find((s) => s.code === 'test-rep:listed')).toEqual({
      code: 'test-rep:listed',
      fired: true,
      value: LISTED_IP,
      threshold: 'on the list',
      weight: 60,
    });
    expect(scorer.asked).toHaveLength(1);
    expect(scorer.asked[0]).toMatchObject({
      id: result.conversionId,
      campaignId,
      goal: '',
      payout: '3.5',
      click: { id: clickId, ip: LISTED_IP, userAgent: CHROME, subs: { sub1: 'zone-7' } },
    });
  });

  it('allows a conversion whose plugin reading does not fire, and forwards it', async () => {
    const recorder = recorderWith([listingScorer()], 1000);
    const result = await recorder.record({ channel: 's2s', clickId: await click('198.51.100.7'), params: {}, receivedAt: new Date() });
    expect(result.deliveryIds).toHaveLength(1);
    const stored = (await fraud.forConversion(result.conversionId!))!;
    expect(stored).toMatchObject({ score: 0, verdict: 'allow', holdState: null });
    expect(stored.signals.find((s) => s.code === 'test-rep:listed')).toMatchObject({ fired: false });
  });

  it('cuts a plugin that hangs at the intake timeout: the conversion is recorded, judged by the rest, with the note', async () => {
    const hanging = hangingScorer();
    const listing = listingScorer();
    const recorder = recorderWith([hanging, listing], 150);
    const result = await recorder.record({ channel: 's2s', clickId: await click(LISTED_IP), params: {}, receivedAt: new Date() });
    expect(result.outcome).toBe('accepted');
    expect(hanging.aborted).toEqual([true]);
    const stored = (await fraud.forConversion(result.conversionId!))!;
    // The listing scorer still answered; the hanging one's signal is absent, not fired.
    expect(stored).toMatchObject({ score: 60, verdict: 'hold', notes: ['scorer hang timed out after 150 ms'] });
    expect(stored.signals.map((s) => s.code)).not.toContain('hang:late');
    const { rows } = await db.client.query<{ notes: unknown }>('SELECT notes FROM conversion_fraud WHERE conversion_id = $1', [result.conversionId]);
    expect(rows[0].notes).toEqual(['scorer hang timed out after 150 ms']);
  });

  it('asks no plugin with FRAUD_SCORING=off (no scorer): the conversion is recorded unscored', async () => {
    const scorer = listingScorer();
    const recorder = recorderWith([scorer], 1000, false);
    const result = await recorder.record({ channel: 's2s', clickId: await click(LISTED_IP), params: {}, receivedAt: new Date() });
    expect(result.outcome).toBe('accepted');
    expect(scorer.asked).toHaveLength(0);
    expect(await fraud.forConversion(result.conversionId!)).toBeUndefined();
  });
});
