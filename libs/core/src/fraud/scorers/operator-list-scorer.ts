import { shorten } from './shown';
import type { SignalScorer } from './signal-scorer';
import type { SignalReading } from '../signal-reading';

/** The operator's own IP, user-agent and sub-id lists; each list runs only when the policy has one. */
export const operatorListScorer: SignalScorer = {
  id: 'operator-lists',
  codes: ['blocked_ip', 'blocked_user_agent', 'blocked_sub'],
  click(facts, ctx) {
    const { policy, lists } = ctx;
    const readings: SignalReading[] = [];
    if (policy.blockedIps.length) {
      const ip = lists.blockedIp(facts.ip ?? undefined);
      readings.push({ code: 'blocked_ip', fired: ip !== undefined, value: ip ?? facts.ip ?? '(none)', threshold: 'operator IP list' });
    }
    if (policy.blockedUserAgents.length) {
      const pattern = lists.blockedUserAgent(facts.userAgent ?? undefined);
      const shown = facts.userAgent ? shorten(facts.userAgent) : '(none)';
      readings.push({
        code: 'blocked_user_agent',
        fired: pattern !== undefined,
        value: pattern ? `matched /${pattern}/` : shown,
        threshold: 'operator user-agent patterns',
      });
    }
    if (policy.blockedSubs.length) {
      const sub = lists.blockedSub(facts.subs);
      readings.push({ code: 'blocked_sub', fired: sub !== undefined, value: sub ?? '(no listed value)', threshold: 'operator sub-id list' });
    }
    return readings;
  },
};
