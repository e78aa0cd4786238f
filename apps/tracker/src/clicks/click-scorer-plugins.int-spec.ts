import { FraudScorer, newClickId } from '@postwire/core';
import { CampaignRepository, ClickRepository, type NewClick } from '@postwire/persistence';
import type { FraudScorerPlugin, ScorerClick } from '@postwire/plugin-sdk';
import { PluginScoring } from '@postwire/runtime';
import { openTestDatabase, type TestDatabase } from '../../../../libs/persistence/src/test-support/databases';
import { seedCampaign } from '../../../../libs/persistence/src/test-support/seed-campaign';
import { ClickEnricher } from './click-enricher';
import { ClickScorerPlugins } from './click-scorer-plugins';
import { ClickWriter } from './click-writer';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const LISTED_IP = '203.0.113.9';
type Row = { id: string; fraud_score: number; fraud_reasons: string[] | null; fraud_suspicious: boolean };

/** Lists one address; remembers the clicks it was asked about. */
const listing = (asked: ScorerClick[]): FraudScorerPlugin => ({
  id: 'test-rep',
  description: 'lists one address',
  reasons: [{ code: 'test-rep:listed', defaultWeight: 60, label: 'IP on the test list' }],
  scoreClick(click) {
    asked.push(click);
    return { outcome: 'scored', signals: [{ code: 'test-rep:listed', fired: click.ip === LISTED_IP, value: click.ip ?? '', threshold: 'on the list' }] };
  },
});

/** Never answers: only the abort at the timeout ends its wait. */
const hanging = (aborted: boolean[]): FraudScorerPlugin => ({
  id: 'hang',
  description: 'never answers',
  reasons: [{ code: 'hang:late', defaultWeight: 100, label: 'never seen' }],
  scoreClick: (_click, ctx) =>
    new Promise((resolve) =>
      ctx.signal.addEventListener('abort', () => {
        aborted.push(true);
        resolve({ outcome: 'scored', signals: [{ code: 'hang:late', fired: true, value: 'too late', threshold: '' }] });
      }),
    ),
});

/**
 * Scorer plugins in the click writer's batch, on a real PostgreSQL: the clicks of a batch are asked about
 * together, before the batch is scored, and a fired reading lands in `fraud_score`, `fraud_reasons` and
 * `fraud_suspicious`; a scorer that hangs is cut at its timeout and the batch is stored without its signal.
 */
describe('scorer plugins in the click writer', () => {
  let db: TestDatabase;
  let campaignId: string;

  beforeAll(async () => {
    db = await openTestDatabase('postgres');
    campaignId = (await seedCampaign(db.client)).campaign.id;
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  });

  async function writeClicks(scorers: FraudScorerPlugin[], timeoutMs: number, ips: string[]): Promise<Row[]> {
    const scorer = new FraudScorer();
    scorer.adoptPluginWeights(Object.fromEntries(scorers.flatMap((s) => s.reasons.map((r) => [r.code, r.defaultWeight]))));
    const plugins = new ClickScorerPlugins(undefined, undefined, new PluginScoring(scorers, timeoutMs));
    const route = await new CampaignRepository(db.client).getRoute(campaignId);
    const writer = new ClickWriter(new ClickRepository(db.client), { driver: 'postgres' }, {}, new ClickEnricher(scorer), undefined, undefined, plugins);
    const clicks: NewClick[] = ips.map((ip) => ({
      id: newClickId(Date.now()),
      campaignId,
      subs: { sub3: 'placement-1' },
      ip,
      userAgent: CHROME,
      createdAt: new Date(),
      raw: { fraudPolicy: route!.fraudPolicy },
    }));
    await Promise.all(clicks.map((c) => writer.add(c)));
    const { rows } = await db.client.query<Row>(`SELECT id, fraud_score, fraud_reasons, fraud_suspicious FROM clicks WHERE id = ANY($1::text[])`, [
      clicks.map((c) => c.id),
    ]);
    const byId = new Map(rows.map((r) => [r.id, r]));
    return clicks.map((c) => byId.get(c.id)!);
  }

  it("stores a listed click with the plugin's reason and score, suspicious; an unlisted one clean", async () => {
    const asked: ScorerClick[] = [];
    const [listed, clean] = await writeClicks([listing(asked)], 1000, [LISTED_IP, '198.51.100.7']);
    expect(listed).toMatchObject({ fraud_score: 60, fraud_reasons: ['test-rep:listed'], fraud_suspicious: true });
    expect(clean).toMatchObject({ fraud_score: 0, fraud_reasons: null, fraud_suspicious: false });
    expect(asked.map((c) => c.ip).sort()).toEqual(['198.51.100.7', LISTED_IP]);
    expect(asked[0]).toMatchObject({ campaignId, userAgent: CHROME, subs: { sub3: 'placement-1' } });
  });

  it('cuts a scorer that hangs at its timeout and stores the batch with the other scorers\u2019 signals', async () => {
    const aborted: boolean[] = [];
    const [row] = await writeClicks([hanging(aborted), listing([])], 150, [LISTED_IP]);
    expect(aborted).toEqual([true]);
    expect(row).toMatchObject({ fraud_score: 60, fraud_reasons: ['test-rep:listed'] });
  });

  it('takes no step when no scorer is installed', () => {
    expect(new ClickScorerPlugins(undefined, undefined, new PluginScoring([], 1000)).active).toBe(false);
    expect(
      new ClickScorerPlugins(
        undefined,
        { fraud: { scoring: false, scorerTimeoutMs: 1000, scorerIntakeTimeoutMs: 300 } },
        new PluginScoring([listing([])], 1000),
      ).active,
    ).toBe(false);
  });
});
