import crawlers from 'crawler-user-agents';
import type { AsnRecord } from './asn-lookup';
import { classifyUserAgent } from './bot-user-agent';
import { DEFAULT_FRAUD_POLICY, verdictFor, withFraudDefaults, type FraudPolicy } from './fraud-policy';
import { FraudScorer } from './fraud-scorer';
import { firedReasons } from './fraud-signal';
import { checkOperatorLists } from './operator-lists';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const RESIDENTIAL = '81.2.69.142'; // a UK broadband address, not hosting
// The real database is exercised in libs/security (asn-database.spec.ts); here a fixed table stands in.
const ASNS: Record<string, AsnRecord> = { '52.95.110.1': { asn: 16509, organisation: 'Amazon.com, Inc.' } };
const scorer = new FraudScorer({ lookup: (ip) => ASNS[ip] });
const policy = (over: Partial<FraudPolicy> = {}): FraudPolicy => withFraudDefaults(over);

describe('bot user agents (real crawler user agents from crawler-user-agents)', () => {
  const instances = (crawlers as Array<{ pattern: string; instances: string[] }>).flatMap((c) => c.instances);

  it('flags nearly every listed crawler instance as a bot', () => {
    const missed = instances.filter((ua) => classifyUserAgent(ua).kind === 'browser');
    expect(instances.length).toBeGreaterThan(1000);
    // isbot and crawler-user-agents disagree on a handful of borderline tools; they stay below 1 %.
    expect(missed.length / instances.length).toBeLessThan(0.01);
  });

  it('scores Googlebot as a bot and a desktop Chrome as nothing', () => {
    const googlebot = instances.find((ua) => ua.includes('Googlebot/2.1'))!;
    expect(firedReasons(scorer.assessClick({ userAgent: googlebot, subs: {} }, policy()))).toContain('bot_user_agent');
    expect(scorer.assessClick({ userAgent: CHROME, ip: RESIDENTIAL, subs: {} }, policy()).score).toBe(0);
  });

  it('tells headless, empty and malformed user agents apart', () => {
    expect(classifyUserAgent(CHROME.replace('Chrome/', 'HeadlessChrome/')).kind).toBe('headless');
    expect(classifyUserAgent('').kind).toBe('empty');
    expect(classifyUserAgent(undefined).kind).toBe('empty');
    expect(classifyUserAgent('Mozilla/5.0 \u0000').kind).toBe('malformed');
    expect(classifyUserAgent('Mozilla/5.0 \u0000')).toEqual({ kind: 'malformed', why: 'non-printable characters' });
    // A script's own name is a bot to isbot, not a malformed browser.
    expect(classifyUserAgent('hello there').kind).toBe('bot');
  });
});

describe('click-to-conversion time', () => {
  const click = { ip: RESIDENTIAL, userAgent: CHROME, subs: {}, at: new Date('2026-01-01T00:00:00Z') };
  const after = (seconds: number) => new Date(click.at.getTime() + seconds * 1000);

  it('fires below the minimum with the measured time and the bound', () => {
    const signal = scorer.assessConversion({ click, at: after(4.2) }, policy()).signals.find((s) => s.code === 'ctit_too_short')!;
    expect(signal).toMatchObject({ fired: true, value: '4.2 s', threshold: 'min 10 s' });
  });

  it('does not fire at or above the minimum; fires above a maximum', () => {
    expect(firedReasons(scorer.assessConversion({ click, at: after(10) }, policy()))).toEqual([]);
    expect(firedReasons(scorer.assessConversion({ click, at: after(3 * 86400) }, policy({ ctitMaxSeconds: 86400 })))).toEqual(['ctit_too_long']);
  });
});

describe('operator lists', () => {
  it('blocks listed IPs and CIDR ranges, IPv4-mapped too', () => {
    const p = policy({ blockedIps: ['203.0.113.0/24', '2001:db8::/32'] });
    expect(firedReasons(scorer.assessClick({ ip: '::ffff:203.0.113.9', userAgent: CHROME, subs: {} }, p))).toContain('blocked_ip');
    expect(firedReasons(scorer.assessClick({ ip: '2001:db8::7', userAgent: CHROME, subs: {} }, p))).toContain('blocked_ip');
    expect(firedReasons(scorer.assessClick({ ip: '203.0.114.1', userAgent: CHROME, subs: {} }, p))).not.toContain('blocked_ip');
  });

  it('matches user-agent patterns case-insensitively, in linear time on a hostile input', () => {
    const p = policy({ blockedUserAgents: ['(a+)+$', 'evilscraper'] });
    expect(firedReasons(scorer.assessClick({ userAgent: 'Mozilla/5.0 EvilScraper/1.0', subs: {} }, p))).toContain('blocked_user_agent');
    // The classic catastrophic-backtracking input for (a+)+$ on a backtracking engine; RE2JS answers at once.
    const hostile = 'Mozilla/5.0 ' + 'a'.repeat(5000) + '!';
    expect(firedReasons(scorer.assessClick({ userAgent: hostile, subs: {} }, p))).not.toContain('blocked_user_agent');
  });

  it('blocks listed sub-id values per parameter', () => {
    const p = policy({ blockedSubs: [{ param: 'sub2', values: ['zone-666'] }] });
    const signal = scorer.assessClick({ userAgent: CHROME, subs: { sub2: 'zone-666' } }, p).signals.find((s) => s.code === 'blocked_sub')!;
    expect(signal).toMatchObject({ fired: true, value: 'sub2=zone-666' });
    expect(firedReasons(scorer.assessClick({ userAgent: CHROME, subs: { sub1: 'zone-666' } }, p))).toEqual([]);
  });

  it('refuses unusable entries naming the field', () => {
    expect(
      checkOperatorLists({ blockedIps: ['10.0.0.0/8', 'nope', '10.0.0.1/8', '2001:db8::1/32'], blockedUserAgents: ['ok', '(?=x)', 'x'.repeat(201)] }).map(
        (p) => p.field,
      ),
    ).toEqual(['blockedIps.1', 'blockedIps.2', 'blockedIps.3', 'blockedUserAgents.1', 'blockedUserAgents.2']);
  });
});

describe('score and verdict', () => {
  it('adds the fired weights, caps at 100, and turns a signal off at weight 0', () => {
    const bot = { ip: '52.95.110.1', userAgent: 'Googlebot/2.1 (+http://www.google.com/bot.html)', subs: {} };
    expect(scorer.assessClick(bot, policy()).score).toBe(100);
    const off = scorer.assessClick(bot, policy({ weights: { bot_user_agent: 0 } }));
    expect(off.score).toBe(40);
    expect(off.signals.map((s) => s.code)).not.toContain('bot_user_agent');
  });

  it('by default only flags, whatever the score', () => {
    expect(verdictFor(100, DEFAULT_FRAUD_POLICY)).toBe('flag');
    expect(verdictFor(39, DEFAULT_FRAUD_POLICY)).toBe('allow');
    expect(verdictFor(0, { flagScore: 0, actionScore: 0, action: 'hold' })).toBe('allow');
  });

  it("applies the policy's action at its action score", () => {
    const p = policy({ action: 'hold', actionScore: 60 });
    expect(verdictFor(60, p)).toBe('hold');
    expect(verdictFor(59, p)).toBe('flag');
    expect(scorer.assessClick({ userAgent: 'Googlebot/2.1', subs: {} }, p).verdict).toBe('hold');
  });
});
