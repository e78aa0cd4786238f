import { botTarget } from './bot-target';

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const HEADLESS = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const SAFE = 'https://safe.example/?c={click_id}';

describe('botTarget: the inline bot check of the click redirect', () => {
  it('sends listed crawlers and headless browsers to the safe URL', () => {
    expect(botTarget({ botSafeUrl: SAFE }, GOOGLEBOT)).toBe(SAFE);
    expect(botTarget({ botSafeUrl: SAFE }, HEADLESS)).toBe(SAFE);
  });

  it('leaves browsers, and every click of a policy without a safe URL, alone', () => {
    expect(botTarget({ botSafeUrl: SAFE }, CHROME)).toBeNull();
    expect(botTarget({}, GOOGLEBOT)).toBeNull();
    expect(botTarget({ botSafeUrl: null }, GOOGLEBOT)).toBeNull();
  });

  it('does not redirect an empty user agent (only a known bot is sure enough to divert)', () => {
    expect(botTarget({ botSafeUrl: SAFE }, undefined)).toBeNull();
  });
});
