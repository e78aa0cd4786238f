import { isbotMatch } from 'isbot';

/** What the user agent says about the visitor: nothing wrong, a listed crawler, a headless browser, none at all, or not a user agent. */
export type UserAgentKind =
  { kind: 'browser' } | { kind: 'bot'; match: string } | { kind: 'headless'; match: string } | { kind: 'empty' } | { kind: 'malformed'; why: string };

/**
 * Automation tells that `isbot` does not list (it leaves tools people script browsers with to the
 * caller): headless Chrome and friends announce themselves in the user agent.
 */
const HEADLESS = /HeadlessChrome|PhantomJS|SlimerJS|Electron\/|Puppeteer|Playwright|Selenium|webdriver|jsdom|Nightmare/i;

/** Printable ASCII only: a real browser sends nothing else, and control characters forge log lines. */
const PRINTABLE = /^[\x20-\x7e]*$/;

/**
 * Reads a user agent. Crawlers come from the `isbot` list (maintained, Unlicense); an empty one,
 * or one too short, without a product token or with control characters, is not a browser's.
 * Pure and cheap (one pre-built regex each), so it can run inline on the click redirect.
 */
export function classifyUserAgent(userAgent: string | undefined | null): UserAgentKind {
  const ua = userAgent?.trim() ?? '';
  if (ua === '') return { kind: 'empty' };
  if (!PRINTABLE.test(ua)) return { kind: 'malformed', why: 'non-printable characters' };
  const headless = HEADLESS.exec(ua);
  if (headless) return { kind: 'headless', match: headless[0] };
  // isbot also takes a user agent with no browser-like product token for a script ("hello there").
  const bot = isbotMatch(ua);
  if (bot) return { kind: 'bot', match: bot };
  // Every browser and HTTP client names a product with a version ("Mozilla/5.0", "okhttp/4.9").
  if (ua.length < 10 || !/[A-Za-z][\w.-]*\/\d/.test(ua)) return { kind: 'malformed', why: 'no product/version token' };
  return { kind: 'browser' };
}
