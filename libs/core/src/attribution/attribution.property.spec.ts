import fc from 'fast-check';
import { CONVERSION_STATUSES } from '../conversion/conversion-status';
import { compareAmounts } from '../money/decimal-amount';
import { decideConversion } from './decide-conversion';
import type { AttributionPolicy, Channel, ConversionEvent, ConversionSnapshot } from './types';

function apply(events: readonly ConversionEvent[], policy: AttributionPolicy): ConversionSnapshot | undefined {
  let state: ConversionSnapshot | undefined;
  for (const event of events) {
    const decision = decideConversion(state, event, policy);
    if (decision.outcome === 'accepted' || decision.outcome === 'updated') state = decision.next;
  }
  return state;
}

/** Merges two sequences keeping each one's order; `picks` decides which side goes next. */
function interleave<T>(a: readonly T[], b: readonly T[], picks: readonly boolean[]): T[] {
  const out: T[] = [];
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < a.length || j < b.length) {
    const takeA = j >= b.length || (i < a.length && (picks[k++] ?? true));
    out.push(takeA ? a[i++] : b[j++]);
  }
  return out;
}

const opt = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
// Small value pools so repeats, equal amounts in other spellings and txid clashes are common.
const amount = fc.constantFrom('0', '5', '10', '10.00', '10.5', '99.999999');
const policyArb = fc.record({
  defaultCurrency: fc.constantFrom('USD', 'EUR'),
  defaultPayout: fc.constantFrom<string | null | undefined>(undefined, null, '5', '7.25'),
});

const eventArb = (channel: Channel, goal: string | undefined): fc.Arbitrary<ConversionEvent> =>
  fc
    .record({
      status: opt(fc.constantFrom(...CONVERSION_STATUSES)),
      payout: opt(amount),
      revenue: opt(amount),
      currency: opt(fc.constantFrom('USD', 'EUR', 'gbp')),
      txid: opt(fc.constantFrom('T1', 'T2', 'P1', '')),
    })
    .map((fields) => {
      const event: ConversionEvent = { channel, goal };
      for (const [key, value] of Object.entries(fields)) {
        if (value !== undefined) Object.assign(event, { [key]: value });
      }
      return event;
    });

// Every event of one conversion carries the same goal: storage matched them on (click, goal), or
// on a txid whose goal-mismatch case is ignored by design (see docs/attribution.md).
const scenario = fc.constantFrom<string | undefined>(undefined, 'sale').chain((goal) =>
  fc.record({
    policy: policyArb,
    pixels: fc.array(eventArb('pixel', goal), { maxLength: 6 }),
    s2s: fc.array(eventArb('s2s', goal), { minLength: 1, maxLength: 6 }),
    picks: fc.array(fc.boolean(), { maxLength: 12 }),
    otherPicks: fc.array(fc.boolean(), { maxLength: 12 }),
  }),
);

describe('attribution properties', () => {
  it('S2S is authoritative: pixel timing never changes the final conversion', () => {
    fc.assert(
      fc.property(scenario, ({ policy, pixels, s2s, picks, otherPicks }) => {
        const alone = apply(s2s, policy);
        expect(alone).toBeDefined();
        const expected = { ...alone, pixelSeen: pixels.length > 0 };
        expect(apply(interleave(pixels, s2s, picks), policy)).toEqual(expected);
        // A second, independent interleaving with the pixels in reverse order.
        expect(apply(interleave([...pixels].reverse(), s2s, otherPicks), policy)).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });

  it('replaying any event that changed something is a duplicate', () => {
    fc.assert(
      fc.property(scenario, ({ policy, pixels, s2s, picks }) => {
        let state: ConversionSnapshot | undefined;
        for (const event of interleave(pixels, s2s, picks)) {
          const decision = decideConversion(state, event, policy);
          if (decision.outcome === 'accepted' || decision.outcome === 'updated') {
            state = decision.next;
            expect(decideConversion(state, event, policy)).toEqual({ outcome: 'duplicate' });
          }
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('ignored and duplicate decisions never carry a snapshot, and history appears exactly when status or payout moved', () => {
    fc.assert(
      fc.property(scenario, ({ policy, pixels, s2s, picks }) => {
        let state: ConversionSnapshot | undefined;
        for (const event of interleave(pixels, s2s, picks)) {
          const before = state;
          const decision = decideConversion(state, event, policy);
          // These events carry no click id, so a txid conflict can never come up here.
          if (decision.outcome === 'rejected') throw new Error('txid_conflict without click ids');
          if (decision.outcome === 'duplicate' || decision.outcome === 'ignored') {
            expect(Object.keys(decision).sort()).toEqual(decision.outcome === 'ignored' ? ['outcome', 'reason'] : ['outcome']);
            continue;
          }
          state = decision.next;
          const moved =
            before === undefined ||
            before.status !== state.status ||
            before.currency !== state.currency ||
            (before.payout === null) !== (state.payout === null) ||
            (before.payout !== null && state.payout !== null && compareAmounts(before.payout, state.payout) !== 0);
          expect(decision.history !== undefined).toBe(moved);
        }
      }),
      { numRuns: 1000 },
    );
  });
});
