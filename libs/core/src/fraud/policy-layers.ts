import type { FraudPolicy } from './fraud-policy';

/** The groups of a policy that name only the thresholds they change: laid over each other field by field. */
const GROUPS = ['velocity', 'duplicates'] as const;

/**
 * The policy that applies to a campaign's clicks and conversions alike: its offer's stored policy with the
 * campaign's laid over it, field by field (the campaign's wins), before Postwire's defaults fill the rest
 * ({@link withFraudDefaults}). The velocity and duplicates groups are merged per threshold too: a campaign that
 * sets one threshold keeps the offer's others. Every other field (lists, weights) is taken whole from the
 * campaign when it names it.
 */
export function layerFraudPolicies(offer: Partial<FraudPolicy> | null | undefined, campaign: Partial<FraudPolicy> | null | undefined): Partial<FraudPolicy> {
  const layered: Partial<FraudPolicy> = { ...(offer ?? {}), ...(campaign ?? {}) };
  for (const group of GROUPS) {
    const under = offer?.[group];
    const over = campaign?.[group];
    if (under && over) (layered as Record<string, unknown>)[group] = { ...under, ...over };
  }
  return layered;
}
