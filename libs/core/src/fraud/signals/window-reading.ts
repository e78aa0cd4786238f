import type { FraudReasonCode } from '../fraud-signal';
import type { SignalReading } from '../signal-reading';
import { windowLabel } from '../velocity-settings';

/**
 * A windowed count held against its threshold: fires above `max` (at `max` it does not), shown as
 * `73 clicks in 60 s` against `max 60 in 60 s`, with the count as `measured` so re-scoring can judge
 * it against another threshold without the window.
 */
export function windowReading(code: FraudReasonCode, count: number, max: number, seconds: number, what: string, prefix = ''): SignalReading {
  const window = windowLabel(seconds);
  return { code, fired: count > max, value: `${prefix}${count} ${what} in ${window}`, threshold: `max ${max} in ${window}`, measured: count };
}
