import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { scorerDeclarationProblems, type FraudScorerPlugin, type ScorerClick, type ScorerConversion, type ScorerResult } from '../fraud-scorer-plugin';

/** Settings for {@link runScorerConformance}. */
export interface ScorerConformanceOptions {
  /** How many random clicks and conversions are scored (default 200). */
  runs?: number;
  /** Replays a failed run: the `seed` fast-check printed. */
  seed?: number;
  /** The most one answer may take, in ms (default 1000; Postwire's own timeout is `FRAUD_SCORER_TIMEOUT_MS`). */
  answerWithinMs?: number;
}

const NOW = Date.UTC(2026, 5, 15, 12);
const DAY = 86_400_000;
const oddText = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', '\u0000', '😀', '../../', '{click_id}', 'a'.repeat(600)));
const instant = fc.integer({ min: NOW - 40 * DAY, max: NOW + DAY }).map((t) => new Date(t));

/** Random clicks, odd values included: addresses of both families and not addresses at all, any user agent, any sub ids. */
export const anyScorerClick: fc.Arbitrary<ScorerClick> = fc.record({
  id: fc.stringMatching(/^[0-9a-z]{26}$/),
  campaignId: fc.uuid(),
  at: instant,
  ip: fc.option(fc.oneof(fc.ipV4(), fc.ipV6(), oddText), { nil: null }),
  userAgent: fc.option(oddText, { nil: null }),
  subs: fc.dictionary(fc.constantFrom('sub1', 'sub2', 'sub3', 'sub10'), oddText, { maxKeys: 4 }),
});

/** Random conversions with their clicks. */
export const anyScorerConversion: fc.Arbitrary<ScorerConversion> = fc.record({
  id: fc.uuid(),
  campaignId: fc.uuid(),
  at: instant,
  goal: oddText,
  payout: fc.option(fc.constantFrom('0', '12.50', '99999999.999999'), { nil: null }),
  currency: fc.constantFrom('USD', 'EUR', 'JPY'),
  click: anyScorerClick,
});

/** What is wrong with one answer of `scorer`: an unknown outcome, a reading of an undeclared code, a malformed reading. */
export function scorerResultProblems(scorer: FraudScorerPlugin, result: ScorerResult): string[] {
  if (result.outcome === 'not_supported') return [];
  if (result.outcome === 'unavailable') return typeof result.reason === 'string' && result.reason.trim() ? [] : ['unavailable without a reason'];
  if (result.outcome !== 'scored' || !Array.isArray(result.signals)) return [`not a scorer result: ${JSON.stringify(result).slice(0, 80)}`];
  const declared = new Set<string>(scorer.reasons.map((r) => r.code));
  const problems: string[] = [];
  for (const s of result.signals) {
    if (!declared.has(s.code)) problems.push(`reading of undeclared code ${String(s.code)}`);
    if (typeof s.fired !== 'boolean') problems.push(`${s.code}: fired is not a boolean`);
    if (typeof s.value !== 'string' || typeof s.threshold !== 'string') problems.push(`${s.code}: value and threshold must be text`);
    if (s.measured !== undefined && !Number.isFinite(s.measured)) problems.push(`${s.code}: measured is not a finite number`);
  }
  return problems;
}

/**
 * The checks every fraud scorer plugin passes, as jest tests: a sound declaration (id, namespaced codes,
 * weights 0-100, labels), and on random odd clicks and conversions it never throws, answers in time, and
 * answers only readings of its declared codes. Call it from the plugin's spec: `runScorerConformance(scorer)`.
 */
export function runScorerConformance(scorer: FraudScorerPlugin, options: ScorerConformanceOptions = {}): void {
  const runs = options.runs ?? 200;
  const within = options.answerWithinMs ?? 1000;
  const settings = { numRuns: runs, ...(options.seed !== undefined ? { seed: options.seed } : {}) };

  describe(`${scorer.id} scorer conformance`, () => {
    it('declares its id and reasons soundly', () => {
      expect(scorerDeclarationProblems(scorer)).toEqual([]);
    });

    const steps = [
      ['scoreClick', anyScorerClick],
      ['scoreConversion', anyScorerConversion],
    ] as const;
    for (const [step, events] of steps) {
      it(`${step} never throws, answers in time, and reads only its declared codes`, async () => {
        const fn = scorer[step] as ((event: unknown, ctx: { signal: AbortSignal }) => ScorerResult | Promise<ScorerResult>) | undefined;
        if (!fn) return expect(scorer.scoreClick ?? scorer.scoreConversion).toBeDefined();
        await fc.assert(
          fc.asyncProperty(events as fc.Arbitrary<unknown>, async (event) => {
            const started = Date.now();
            const result = await fn.call(scorer, event, { signal: new AbortController().signal });
            expect(Date.now() - started).toBeLessThan(within);
            expect(scorerResultProblems(scorer, result)).toEqual([]);
          }),
          settings,
        );
      });
    }
  });
}
