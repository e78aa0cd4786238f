import { formatSeconds } from './shown';
import type { SignalScorer } from './signal-scorer';
import type { SignalReading } from '../signal-reading';

/** Click-to-conversion time against the policy's bounds (click injection below, click spam above). */
export const ctitScorer: SignalScorer = {
  id: 'ctit',
  codes: ['ctit_too_short', 'ctit_too_long'],
  conversion(facts, { policy }) {
    const seconds = (facts.at.getTime() - facts.click.at.getTime()) / 1000;
    const value = `${formatSeconds(seconds)} s`;
    const readings: SignalReading[] = [];
    if (policy.ctitMinSeconds !== null)
      readings.push({ code: 'ctit_too_short', fired: seconds < policy.ctitMinSeconds, value, threshold: `min ${policy.ctitMinSeconds} s`, measured: seconds });
    if (policy.ctitMaxSeconds !== null)
      readings.push({ code: 'ctit_too_long', fired: seconds > policy.ctitMaxSeconds, value, threshold: `max ${policy.ctitMaxSeconds} s`, measured: seconds });
    return readings;
  },
};
