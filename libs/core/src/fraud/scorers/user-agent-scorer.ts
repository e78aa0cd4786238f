import { shorten } from './shown';
import type { SignalScorer } from './signal-scorer';

/** Crawlers, headless browsers, and empty or malformed user agents: from the user agent alone. */
export const userAgentScorer: SignalScorer = {
  id: 'user-agent',
  codes: ['bot_user_agent', 'headless_browser', 'empty_user_agent', 'malformed_user_agent'],
  click(facts, ctx) {
    const ua = ctx.userAgentKind(facts.userAgent);
    const shown = facts.userAgent ? shorten(facts.userAgent) : '(none)';
    return [
      { code: 'bot_user_agent', fired: ua.kind === 'bot', value: ua.kind === 'bot' ? `matched "${ua.match}"` : shown, threshold: 'isbot crawler list' },
      {
        code: 'headless_browser',
        fired: ua.kind === 'headless',
        value: ua.kind === 'headless' ? `matched "${ua.match}"` : shown,
        threshold: 'headless browser tokens',
      },
      { code: 'empty_user_agent', fired: ua.kind === 'empty', value: shown, threshold: 'a user agent is sent' },
      {
        code: 'malformed_user_agent',
        fired: ua.kind === 'malformed',
        value: ua.kind === 'malformed' ? ua.why : shown,
        threshold: 'printable, with a product/version token',
      },
    ];
  },
};
