import type { ConversionRateSettings, FraudPolicy } from '../fraud-policy';
import type { ConversionFacts, MeasuredRate } from '../fraud-scorer';
import type { FraudReasonCode } from '../fraud-signal';
import type { SignalReading } from '../signal-reading';

/**
 * `cr_outlier_source` and `cr_outlier_sub`: the conversion rate of the conversion's traffic source, and of
 * its zone (the policy's sub id), outside the policy's bounds once the click minimum is passed. Below the
 * minimum the reading is shown, not fired. Absent when the policy sets no bounds or the rate was not measured.
 */
export function conversionRateOutliers(facts: Pick<ConversionFacts, 'rates'>, policy: Pick<FraudPolicy, 'conversionRate'>): SignalReading[] {
  const settings = policy.conversionRate;
  if (!settings || (settings.maxRate === null && settings.minRate === null)) return [];
  const readings: SignalReading[] = [];
  if (facts.rates?.source) readings.push(reading('cr_outlier_source', facts.rates.source, settings, ''));
  const sub = facts.rates?.sub;
  if (sub && settings.subParam !== null && sub.param === settings.subParam)
    readings.push(reading('cr_outlier_sub', sub, settings, `${sub.param}=${sub.value}: `));
  return readings;
}

function reading(code: FraudReasonCode, rate: MeasuredRate, settings: ConversionRateSettings, label: string): SignalReading {
  const measured = rate.clicks > 0 ? rate.conversions / rate.clicks : 0;
  const judged = rate.clicks >= settings.minClicks;
  const tooHigh = settings.maxRate !== null && measured > settings.maxRate;
  const tooLow = settings.minRate !== null && measured < settings.minRate;
  const bounds = [settings.minRate !== null ? `min ${percent(settings.minRate)}` : '', settings.maxRate !== null ? `max ${percent(settings.maxRate)}` : '']
    .filter(Boolean)
    .join(', ');
  return {
    code,
    fired: judged && (tooHigh || tooLow),
    value: `${label}${percent(measured)} of ${rate.clicks} clicks`,
    threshold: `${bounds} from ${settings.minClicks} clicks`,
    measured,
  };
}

/** 0.125 as `12.5 %`: at most two decimals, none that are zero. */
function percent(rate: number): string {
  return `${Math.round(rate * 10_000) / 100} %`;
}
