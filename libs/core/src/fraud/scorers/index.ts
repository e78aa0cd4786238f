import type { FraudPolicy } from '../fraud-policy';
import type { SignalReading } from '../signal-reading';
import { clickVelocitySignals } from '../signals/click-velocity';
import { conversionRateOutliers } from '../signals/conversion-rate';
import { conversionVelocitySignals } from '../signals/conversion-velocity';
import { duplicateConversionSignals } from '../signals/duplicate-conversions';
import { geoMismatch } from '../signals/geo-mismatch';
import { ctitScorer } from './ctit-scorer';
import { datacenterScorer } from './datacenter-scorer';
import { operatorListScorer } from './operator-list-scorer';
import { clickSignal, conversionSignal, type SignalScorer } from './signal-scorer';
import { userAgentScorer } from './user-agent-scorer';

export * from './signal-scorer';
export { ctitScorer, datacenterScorer, operatorListScorer, userAgentScorer };

/**
 * Judges a stored windowed reading again from its `measured` count, through the signal function itself, so
 * the new threshold is applied exactly as at intake; a signal the new policy turns off no longer fires.
 */
const fromMeasured =
  (read: (measured: number, policy: FraudPolicy) => SignalReading[]): NonNullable<SignalScorer['rejudge']> =>
  (stored, policy) =>
    stored.measured === undefined ? stored : (read(stored.measured, policy).find((r) => r.code === stored.code) ?? { ...stored, fired: false });

/** Readings whose inputs are not kept (the buyer's country, a rate's click count): kept as they were, weighed by the new policy. */
const asStored: NonNullable<SignalScorer['rejudge']> = (stored) => stored;

/**
 * The built-in signals, in evaluation order (the order of a trace's signals). A new signal function is
 * adopted here in one line: `clickSignal('<id>', [<codes>], <fn>)` or `conversionSignal(...)`.
 */
export const BUILT_IN_SCORERS: readonly SignalScorer[] = [
  userAgentScorer,
  datacenterScorer,
  operatorListScorer,
  clickSignal('click-velocity', ['ip_click_velocity', 'ip_ua_click_velocity', 'sub_click_velocity'], clickVelocitySignals),
  ctitScorer,
  conversionSignal('geo-mismatch', ['geo_mismatch'], geoMismatch, asStored),
  conversionSignal('conversion-rate', ['cr_outlier_source', 'cr_outlier_sub'], conversionRateOutliers, asStored),
  conversionSignal(
    'conversion-velocity',
    ['ip_conversion_velocity'],
    conversionVelocitySignals,
    fromMeasured((n, policy) => conversionVelocitySignals({ velocity: { ipConversions: n } }, policy)),
  ),
  conversionSignal(
    'duplicates',
    ['duplicate_ip_conversion', 'duplicate_device_conversion'],
    duplicateConversionSignals,
    fromMeasured((n, policy) => duplicateConversionSignals({ velocity: { ipConvertingClicks: n, deviceConvertingClicks: n } }, policy)),
  ),
];
