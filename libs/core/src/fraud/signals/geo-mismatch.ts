import type { FraudPolicy } from '../fraud-policy';
import type { ConversionFacts } from '../fraud-scorer';
import type { SignalReading } from '../signal-reading';

/**
 * `geo_mismatch`: the buyer's country (as the network sent it, or as the network's buyer IP places it)
 * is not the click's. Absent when either country is unknown: nothing was measured.
 */
export function geoMismatch(facts: Pick<ConversionFacts, 'click' | 'country'>, policy: Pick<FraudPolicy, 'geoMismatch'>): SignalReading[] {
  const clicked = facts.click.country;
  const bought = facts.country;
  if (!clicked || !bought) return [];
  const markets = policy.geoMismatch?.sameMarket ?? [];
  const sameMarket = markets.some((group) => group.includes(clicked) && group.includes(bought));
  return [
    {
      code: 'geo_mismatch',
      fired: clicked !== bought && !sameMarket,
      value: `click ${clicked}, conversion ${bought}`,
      threshold: markets.length ? 'same country or market' : 'same country',
    },
  ];
}
