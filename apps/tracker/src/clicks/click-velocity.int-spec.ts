import { randomBytes } from 'node:crypto';
import { FraudScorer, newClickId, type VelocityCounter } from '@postwire/core';
import { CampaignRepository, ClickRepository, type NewClick } from '@postwire/persistence';
import { RedisVelocityCounter } from '@postwire/runtime';
import { Redis } from 'ioredis';
import { openTestDatabase, type TestDatabase } from '../../../../libs/persistence/src/test-support/databases';
import { seedCampaign } from '../../../../libs/persistence/src/test-support/seed-campaign';
import { freePort } from '../../../../test/support/ports';
import { ClickEnricher } from './click-enricher';
import { ClickVelocityStep } from './click-velocity';
import { ClickWriter } from './click-writer';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
type Row = { id: string; fraud_score: number; fraud_reasons: string[] | null };

/**
 * The click writer's velocity step on real parts: PostgreSQL, real Redis. A burst from one address is
 * counted in the batch and its clicks past the threshold are stored with `ip_click_velocity`; clicks
 * from distinct addresses are not; with Redis away the clicks are stored all the same, without it.
 */
describe('click velocity in the click writer', () => {
  let db: TestDatabase;
  let campaignId: string;
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const prefix = `pwtest:clickvel:${randomBytes(6).toString('hex')}:`;
  const enricher = new ClickEnricher(new FraudScorer());

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    campaignId = (await seedCampaign(db.client)).campaign.id;
    await redis.ping();
  }, 60_000);

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
    await db?.drop();
  });

  async function writeClicks(step: ClickVelocityStep, ips: string[]): Promise<Map<string, Row>> {
    const route = await new CampaignRepository(db.client).getRoute(campaignId);
    const writer = new ClickWriter(new ClickRepository(db.client), { driver: 'postgres' }, {}, enricher, undefined, step);
    const clicks: NewClick[] = ips.map((ip) => ({
      id: newClickId(Date.now()),
      campaignId,
      subs: {},
      ip,
      userAgent: CHROME,
      createdAt: new Date(),
      raw: { fraudPolicy: route!.fraudPolicy },
    }));
    await Promise.all(clicks.map((c) => writer.add(c)));
    const { rows } = await db.client.query<Row>(`SELECT id, fraud_score, fraud_reasons FROM clicks WHERE id = ANY($1::text[])`, [clicks.map((c) => c.id)]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return new Map(clicks.map((c) => [c.id, byId.get(c.id)!]));
  }

  it('stores the clicks of a burst from one IP past 60 a minute with ip_click_velocity (and the device with ip_ua_click_velocity past 30)', async () => {
    const step = new ClickVelocityStep(new RedisVelocityCounter(redis, prefix, undefined, 2000));
    const stored = [...(await writeClicks(step, Array(70).fill('198.51.100.20'))).values()];
    expect(stored).toHaveLength(70);
    const flagged = stored.filter((r) => r.fraud_reasons?.includes('ip_click_velocity'));
    // One batch, counted click by click: the 61st to the 70th are past the threshold.
    expect(flagged).toHaveLength(10);
    expect(stored.filter((r) => r.fraud_reasons?.includes('ip_ua_click_velocity'))).toHaveLength(40);
    expect(flagged[0]).toMatchObject({ fraud_score: 80, fraud_reasons: ['ip_click_velocity', 'ip_ua_click_velocity'] });
  });

  it('does not flag clicks from distinct IPs', async () => {
    const step = new ClickVelocityStep(new RedisVelocityCounter(redis, prefix, undefined, 2000));
    const stored = [
      ...(
        await writeClicks(
          step,
          Array.from({ length: 100 }, (_, i) => `192.0.2.${i}`),
        )
      ).values(),
    ];
    expect(stored.every((r) => r.fraud_score === 0 && r.fraud_reasons === null)).toBe(true);
  });

  it('sends the clicks handed over while a count is in flight together, in one round trip when it answers', async () => {
    const counter = new RedisVelocityCounter(redis, prefix, undefined, 2000);
    const sent: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    // The real counter, its first answer held back until the test lets it go.
    const gated: VelocityCounter = {
      countClicks: async (clicks, at) => {
        sent.push(clicks.length);
        const counts = counter.countClicks(clicks, at);
        if (sent.length === 1) await held;
        return counts;
      },
      countConversions: (conversions, at) => counter.countConversions(conversions, at),
    };
    const step = new ClickVelocityStep(gated);
    const turn = () => new Promise((r) => setImmediate(r));
    const clicks: NewClick[] = Array.from({ length: 4 }, () => ({
      id: newClickId(Date.now()),
      campaignId,
      subs: {},
      ip: '198.51.100.22',
      userAgent: CHROME,
      createdAt: new Date(),
    }));
    step.prefetch(clicks[0]);
    await turn();
    expect(sent).toEqual([1]);
    for (const click of clicks.slice(1)) {
      step.prefetch(click);
      await turn();
    }
    // Three turns with a count in flight: nothing more sent.
    expect(sent).toEqual([1]);
    release();
    const counts = await step.measure(clicks);
    expect(sent).toEqual([1, 3]);
    expect(clicks.map((c) => counts?.get(c.id)?.ip)).toEqual([1, 2, 3, 4]);
  });

  it('a batch whose clicks are still gathering sends them at once, without waiting for the count in flight', async () => {
    const counter = new RedisVelocityCounter(redis, prefix, undefined, 2000);
    const sent: number[] = [];
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    const gated: VelocityCounter = {
      countClicks: async (clicks, at) => {
        sent.push(clicks.length);
        const counts = counter.countClicks(clicks, at);
        if (sent.length === 1) await held;
        return counts;
      },
      countConversions: (conversions, at) => counter.countConversions(conversions, at),
    };
    const step = new ClickVelocityStep(gated);
    const click = (): NewClick => ({ id: newClickId(Date.now()), campaignId, subs: {}, ip: '198.51.100.23', userAgent: CHROME, createdAt: new Date() });
    const [first, second] = [click(), click()];
    step.prefetch(first);
    await new Promise((r) => setImmediate(r));
    step.prefetch(second);
    const counts = await step.measure([second]);
    expect(sent).toEqual([1, 1]);
    expect(counts?.get(second.id)?.ip).toBe(2);
    release();
    expect((await step.measure([first]))?.get(first.id)?.ip).toBe(1);
  });

  it('stores every click, without velocity reasons, while Redis is away', async () => {
    const away = new Redis(`redis://127.0.0.1:${await freePort()}`, { lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
    const warnings: string[] = [];
    const counter = new RedisVelocityCounter(away, prefix, { warn: (m) => warnings.push(m), log: () => undefined });
    counter.connect();
    away.on('error', () => undefined);
    const step = new ClickVelocityStep(counter);
    const stored = [...(await writeClicks(step, Array(80).fill('198.51.100.21'))).values()];
    expect(stored).toHaveLength(80);
    expect(stored.every((r) => r !== undefined && r.fraud_reasons === null)).toBe(true);
    expect(warnings).toHaveLength(1);
    away.disconnect();
  });
});
