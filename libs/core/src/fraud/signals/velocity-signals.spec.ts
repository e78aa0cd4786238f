import { withFraudDefaults } from '../fraud-policy';
import { FraudScorer } from '../fraud-scorer';
import { DEFAULT_FRAUD_WEIGHTS, firedReasons } from '../fraud-signal';
import { clickVelocitySignals } from './click-velocity';
import { conversionVelocitySignals } from './conversion-velocity';
import { duplicateConversionSignals } from './duplicate-conversions';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const defaults = withFraudDefaults({});

describe('click velocity signals', () => {
  it.each([
    [59, false],
    [60, false],
    [61, true],
  ])('%i clicks from one IP in 60 s against the default 60: fired %s', (count, fired) => {
    const [reading] = clickVelocitySignals({ subs: {}, velocity: { ip: count } }, defaults);
    expect(reading).toEqual({ code: 'ip_click_velocity', fired, value: `${count} clicks in 60 s`, threshold: 'max 60 in 60 s', measured: count });
  });

  it('holds IP + user agent against its own threshold', () => {
    const policy = withFraudDefaults({ velocity: { ipUaClicksPerMinute: 5 } });
    expect(clickVelocitySignals({ subs: {}, velocity: { ipUserAgent: 5 } }, policy)).toEqual([
      { code: 'ip_ua_click_velocity', fired: false, value: '5 clicks in 60 s', threshold: 'max 5 in 60 s', measured: 5 },
    ]);
    expect(clickVelocitySignals({ subs: {}, velocity: { ipUserAgent: 6 } }, policy)[0].fired).toBe(true);
  });

  it('fires a sub id on its busiest counted value, naming it', () => {
    const policy = withFraudDefaults({ velocity: { subClicksPerMinute: 100, subParams: ['sub2', 'sub3'] } });
    const readings = clickVelocitySignals({ subs: { sub1: 'x', sub2: 'zone-7', sub3: 'p' }, velocity: { subs: { sub1: 500, sub2: 101, sub3: 4 } } }, policy);
    expect(readings).toEqual([
      { code: 'sub_click_velocity', fired: true, value: 'sub2=zone-7: 101 clicks in 60 s', threshold: 'max 100 in 60 s', measured: 101 },
    ]);
  });

  it('is absent (not "not fired") without counts, and when the policy turns a threshold off', () => {
    expect(clickVelocitySignals({ subs: {} }, defaults)).toEqual([]);
    const off = withFraudDefaults({ velocity: { ipClicksPerMinute: null } });
    expect(clickVelocitySignals({ subs: {}, velocity: { ip: 1000, ipUserAgent: 3 } }, off).map((r) => r.code)).toEqual(['ip_ua_click_velocity']);
    // Sub ids are off by default: counted values alone do not make a reading.
    expect(clickVelocitySignals({ subs: { sub2: 'z' }, velocity: { subs: { sub2: 1000 } } }, defaults)).toEqual([]);
  });

  it('lays a stored partial group over the defaults', () => {
    const policy = withFraudDefaults({ velocity: { ipClicksPerMinute: 10 } });
    expect(policy.velocity).toMatchObject({ ipClicksPerMinute: 10, ipUaClicksPerMinute: 30, ipConversionsPerHour: 10 });
    expect(policy.duplicates).toEqual({ ipConversionsPerDay: 3, deviceConversionsPerDay: 1 });
  });
});

describe('conversion velocity and duplicate signals', () => {
  it.each([
    [9, false],
    [10, false],
    [11, true],
  ])('%i conversions from one IP in an hour against the default 10: fired %s', (count, fired) => {
    expect(conversionVelocitySignals({ velocity: { ipConversions: count } }, defaults)).toEqual([
      { code: 'ip_conversion_velocity', fired, value: `${count} conversions in 1 h`, threshold: 'max 10 in 1 h', measured: count },
    ]);
  });

  it.each([
    [1, false, false],
    [2, false, true],
    [3, false, true],
    [4, true, true],
  ])('%i converting clicks from one IP and device in 24 h: IP fired %s, device fired %s', (count, ipFired, deviceFired) => {
    const readings = duplicateConversionSignals({ velocity: { ipConvertingClicks: count, deviceConvertingClicks: count } }, defaults);
    expect(readings).toEqual([
      {
        code: 'duplicate_ip_conversion',
        fired: ipFired,
        value: `${count} converting clicks from this IP in 24 h`,
        threshold: 'max 3 in 24 h',
        measured: count,
      },
      {
        code: 'duplicate_device_conversion',
        fired: deviceFired,
        value: `${count} converting clicks from this device in 24 h`,
        threshold: 'max 1 in 24 h',
        measured: count,
      },
    ]);
  });

  it('is absent without counts or with the threshold off', () => {
    expect(conversionVelocitySignals({}, defaults)).toEqual([]);
    expect(duplicateConversionSignals({}, defaults)).toEqual([]);
    const off = withFraudDefaults({ duplicates: { ipConversionsPerDay: null, deviceConversionsPerDay: null }, velocity: { ipConversionsPerHour: null } });
    expect(duplicateConversionSignals({ velocity: { ipConvertingClicks: 9, deviceConvertingClicks: 9 } }, off)).toEqual([]);
    expect(conversionVelocitySignals({ velocity: { ipConversions: 99 } }, off)).toEqual([]);
  });
});

describe('the scorer with velocity facts', () => {
  const scorer = new FraudScorer();
  const clickAt = new Date('2026-12-01T10:00:00Z');

  it('weighs a fired velocity signal, and alone it flags but does not reach a hold policy action score', () => {
    const hold = withFraudDefaults({ action: 'hold' });
    const assessment = scorer.assessClick({ userAgent: CHROME, subs: {}, velocity: { ip: 200, ipUserAgent: 10 } }, hold);
    expect(firedReasons(assessment)).toEqual(['ip_click_velocity']);
    expect(assessment.score).toBe(DEFAULT_FRAUD_WEIGHTS.ip_click_velocity);
    expect(assessment.verdict).toBe('flag');
    expect(assessment.signals.find((s) => s.code === 'ip_ua_click_velocity')).toMatchObject({ fired: false, measured: 10, weight: 40 });
  });

  it('scores a conversion with its own counts; a weight of 0 leaves the signal out', () => {
    const policy = withFraudDefaults({ weights: { duplicate_ip_conversion: 0 } });
    const assessment = scorer.assessConversion(
      {
        click: { userAgent: CHROME, subs: {}, at: clickAt },
        at: new Date(clickAt.getTime() + 600_000),
        velocity: { ipConversions: 12, ipConvertingClicks: 9, deviceConvertingClicks: 2 },
      },
      policy,
    );
    expect(firedReasons(assessment)).toEqual(['ip_conversion_velocity', 'duplicate_device_conversion']);
    expect(assessment.signals.map((s) => s.code)).not.toContain('duplicate_ip_conversion');
    expect(assessment.score).toBe(80);
  });

  it('runs no velocity signal when nothing was measured (Redis unavailable)', () => {
    const assessment = scorer.assessConversion({ click: { userAgent: CHROME, subs: {}, at: clickAt }, at: new Date(clickAt.getTime() + 600_000) }, defaults);
    expect(assessment.signals.map((s) => s.code)).toEqual(['bot_user_agent', 'headless_browser', 'empty_user_agent', 'malformed_user_agent', 'ctit_too_short']);
  });
});
