import { withFraudDefaults, type FraudPolicy } from '../fraud-policy';
import { FraudScorer } from '../fraud-scorer';
import { firedReasons } from '../fraud-signal';
import type { ClickFacts } from '../scoring-facts';
import type { SignalReading } from '../signal-reading';
import { BUILT_IN_SCORERS, clickSignal, conversionSignal } from './index';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const policy = (over: Partial<FraudPolicy> = {}): FraudPolicy => withFraudDefaults(over);
const click = (userAgent: string, subs: ClickFacts['subs'] = {}): ClickFacts => ({ userAgent, ip: '81.2.69.142', subs });

/** A windowed signal in the shared shape: fires at or above the policy's threshold (here the flag score, for the test). */
const burst = (facts: ClickFacts, p: FraudPolicy): SignalReading[] => {
  const count = facts.subs.sub1 ? Number(facts.subs.sub1) : undefined;
  if (count === undefined) return [];
  return [{ code: 'velocity-test:burst', fired: count >= p.flagScore, value: `${count} clicks`, threshold: `${p.flagScore} a minute`, measured: count }];
};

describe('the scorer composes signal scorers', () => {
  it('the built-in scorers give what the scorer gave before: same codes, in the same order', () => {
    const assessed = new FraudScorer().assessConversion({ click: { ...click(GOOGLEBOT), at: new Date(0) }, at: new Date(4_000) }, policy());
    expect(assessed.signals.map((s) => s.code)).toEqual(['bot_user_agent', 'headless_browser', 'empty_user_agent', 'malformed_user_agent', 'ctit_too_short']);
    expect(assessed).toMatchObject({ score: 100, verdict: 'flag' });
    expect(assessed.signals.find((s) => s.code === 'ctit_too_short')).toMatchObject({ fired: true, value: '4 s', measured: 4 });
  });

  it('adopts a signal function in one line; its code is weighed by the policy, and absent when its input is', () => {
    const scorer = new FraudScorer(undefined, { scorers: [...BUILT_IN_SCORERS, clickSignal('velocity-test', ['velocity-test:burst'], burst)] });
    const weighed = policy({ weights: { 'velocity-test:burst': 50 } });
    const fired = scorer.assessClick(click(CHROME, { sub1: '45' }), weighed);
    expect(fired.signals.at(-1)).toEqual({ code: 'velocity-test:burst', fired: true, value: '45 clicks', threshold: '40 a minute', measured: 45, weight: 50 });
    expect(fired).toMatchObject({ score: 50, verdict: 'flag' });
    expect(scorer.assessClick(click(CHROME), weighed).signals.map((s) => s.code)).not.toContain('velocity-test:burst');
    // Without a weight from the policy or a declared default it stays out (weight 0: off).
    expect(scorer.assessClick(click(CHROME, { sub1: '45' }), policy()).score).toBe(0);
  });

  it('a conversion-only signal runs for conversions and not for clicks', () => {
    const always = conversionSignal('always', ['always-test:on'], () => [{ code: 'always-test:on', fired: true, value: 'x', threshold: 'y' }]);
    const scorer = new FraudScorer(undefined, { scorers: [always], pluginWeights: { 'always-test:on': 30 } });
    expect(scorer.assessClick(click(CHROME), policy()).signals).toEqual([]);
    expect(scorer.assessConversion({ click: { ...click(CHROME), at: new Date(0) }, at: new Date(60_000) }, policy()).score).toBe(30);
  });

  it("weighs a plugin's readings in with its declared default, which the policy may override, and keeps the notes", () => {
    const scorer = new FraudScorer();
    scorer.adoptPluginWeights({ 'ip-list:listed': 70 });
    const base = scorer.assessClick(click(CHROME), policy());
    const reading: SignalReading = { code: 'ip-list:listed', fired: true, value: '81.2.69.142', threshold: 'operator reputation list' };
    const withPlugin = scorer.withReadings(base, [reading], policy(), ['scorer slow timed out after 2000 ms']);
    expect(withPlugin).toMatchObject({ score: 70, verdict: 'flag', notes: ['scorer slow timed out after 2000 ms'] });
    expect(firedReasons(withPlugin)).toEqual(['ip-list:listed']);
    expect(scorer.withReadings(base, [reading], policy({ weights: { 'ip-list:listed': 0 } })).score).toBe(0);
    // A timed-out scorer changes nothing but the trace: the verdict is the rest's.
    expect(scorer.withReadings(base, [], policy(), ['scorer slow timed out after 2000 ms'])).toMatchObject({ score: 0, verdict: 'allow' });
  });
});

describe('re-assessing a stored conversion', () => {
  const stamp = { click: { ...click(CHROME), at: new Date(0) }, at: new Date(600_000) };

  it('judges a stored windowed reading again from its measured number against the new threshold', () => {
    const rejudge = (stored: SignalReading, p: FraudPolicy): SignalReading => ({
      ...stored,
      fired: (stored.measured ?? 0) >= p.flagScore,
      threshold: `${p.flagScore} a minute`,
    });
    const scorer = new FraudScorer(undefined, {
      scorers: [...BUILT_IN_SCORERS, clickSignal('velocity-test', ['velocity-test:burst'], burst, rejudge)],
      pluginWeights: { 'velocity-test:burst': 50 },
    });
    const stored: SignalReading = { code: 'velocity-test:burst', fired: false, value: '30 clicks', threshold: '40 a minute', measured: 30 };
    const loose = scorer.reassessConversion(stamp, policy(), [stored]);
    expect(loose.score).toBe(0);
    const strict = scorer.reassessConversion(stamp, policy({ flagScore: 20 }), [stored]);
    expect(strict.signals.at(-1)).toMatchObject({ code: 'velocity-test:burst', fired: true, threshold: '20 a minute', measured: 30, weight: 50 });
    expect(strict).toMatchObject({ score: 50, verdict: 'flag' });
  });

  it('measures built-in signals again rather than trusting what was stored', () => {
    const stale: SignalReading = { code: 'bot_user_agent', fired: true, value: 'old', threshold: 'old' };
    const again = new FraudScorer().reassessConversion(stamp, policy(), [stale]);
    expect(again.score).toBe(0);
    expect(again.signals.filter((s) => s.code === 'bot_user_agent')).toEqual([expect.objectContaining({ fired: false, threshold: 'isbot crawler list' })]);
  });

  it("keeps a stored plugin reading as it was (no plugin installed to ask again), weighed by today's policy", () => {
    const kept: SignalReading = { code: 'ip-list:listed', fired: true, value: '81.2.69.142', threshold: 'list' };
    const again = new FraudScorer().reassessConversion(stamp, policy({ weights: { 'ip-list:listed': 90 } }), [kept]);
    expect(again).toMatchObject({ score: 90, verdict: 'flag' });
  });
});
