import type { ConversionFacts } from '../fraud-scorer';
import type { FraudPolicy } from '../fraud-policy';
import type { SignalReading } from '../signal-reading';
import { VELOCITY_WINDOWS, velocitySettings } from '../velocity-settings';
import { windowReading } from './window-reading';

/** Conversions from the click's IP in the last hour (this one included); runs only on a measured count. */
export function conversionVelocitySignals(facts: Pick<ConversionFacts, 'velocity'>, policy: Pick<FraudPolicy, 'velocity'>): SignalReading[] {
  const count = facts.velocity?.ipConversions;
  const max = velocitySettings(policy.velocity).ipConversionsPerHour;
  if (count === undefined || max === null) return [];
  return [windowReading('ip_conversion_velocity', count, max, VELOCITY_WINDOWS.conversionsSeconds, 'conversions')];
}
