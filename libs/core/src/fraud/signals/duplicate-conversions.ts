import type { ConversionFacts } from '../fraud-scorer';
import type { FraudPolicy } from '../fraud-policy';
import type { SignalReading } from '../signal-reading';
import { VELOCITY_WINDOWS, duplicateSettings } from '../velocity-settings';
import { windowReading } from './window-reading';

/**
 * Several conversions from one IP, or one device (IP + user agent), across different clicks in 24 h
 * (24metrics). Counted by click, so a click's repeated postbacks and its several goals are one.
 */
export function duplicateConversionSignals(facts: Pick<ConversionFacts, 'velocity'>, policy: Pick<FraudPolicy, 'duplicates'>): SignalReading[] {
  const counts = facts.velocity;
  if (!counts) return [];
  const settings = duplicateSettings(policy.duplicates);
  const seconds = VELOCITY_WINDOWS.duplicatesSeconds;
  const readings: SignalReading[] = [];
  if (settings.ipConversionsPerDay !== null && counts.ipConvertingClicks !== undefined)
    readings.push(windowReading('duplicate_ip_conversion', counts.ipConvertingClicks, settings.ipConversionsPerDay, seconds, 'converting clicks from this IP'));
  if (settings.deviceConversionsPerDay !== null && counts.deviceConvertingClicks !== undefined)
    readings.push(
      windowReading(
        'duplicate_device_conversion',
        counts.deviceConvertingClicks,
        settings.deviceConversionsPerDay,
        seconds,
        'converting clicks from this device',
      ),
    );
  return readings;
}
