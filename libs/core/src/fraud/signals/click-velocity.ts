import type { ClickFacts } from '../fraud-scorer';
import type { FraudPolicy } from '../fraud-policy';
import type { SignalReading } from '../signal-reading';
import { VELOCITY_WINDOWS, velocitySettings } from '../velocity-settings';
import { windowReading } from './window-reading';

/**
 * Clicks per IP, per IP + user agent and per sub id value in the last 60 s (issue 24, Voluum's 60
 * events a minute). Runs only on counts the click writer measured; a sub id fires on its busiest
 * counted value.
 */
export function clickVelocitySignals(facts: Pick<ClickFacts, 'velocity' | 'subs'>, policy: Pick<FraudPolicy, 'velocity'>): SignalReading[] {
  const counts = facts.velocity;
  if (!counts) return [];
  const settings = velocitySettings(policy.velocity);
  const seconds = VELOCITY_WINDOWS.clicksSeconds;
  const readings: SignalReading[] = [];
  if (settings.ipClicksPerMinute !== null && counts.ip !== undefined)
    readings.push(windowReading('ip_click_velocity', counts.ip, settings.ipClicksPerMinute, seconds, 'clicks'));
  if (settings.ipUaClicksPerMinute !== null && counts.ipUserAgent !== undefined)
    readings.push(windowReading('ip_ua_click_velocity', counts.ipUserAgent, settings.ipUaClicksPerMinute, seconds, 'clicks'));
  const busiest = Object.entries(counts.subs ?? {})
    .filter(([param]) => settings.subParams.includes(param as never))
    .sort(([, a], [, b]) => (b ?? 0) - (a ?? 0))[0];
  if (settings.subClicksPerMinute !== null && busiest) {
    const [param, count] = busiest;
    const value = facts.subs[param as keyof ClickFacts['subs']] ?? '';
    readings.push(windowReading('sub_click_velocity', count ?? 0, settings.subClicksPerMinute, seconds, 'clicks', `${param}=${shorten(value)}: `));
  }
  return readings;
}

function shorten(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}
