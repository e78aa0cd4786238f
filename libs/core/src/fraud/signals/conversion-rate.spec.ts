import { DEFAULT_CONVERSION_RATE_SETTINGS, withFraudDefaults } from '../fraud-policy';
import { FraudScorer } from '../fraud-scorer';
import { firedReasons } from '../fraud-signal';
import { conversionRateOutliers } from './conversion-rate';

const settings = (over: Partial<typeof DEFAULT_CONVERSION_RATE_SETTINGS> = {}) => ({
  conversionRate: { ...DEFAULT_CONVERSION_RATE_SETTINGS, minClicks: 500, maxRate: 0.1, ...over },
});

describe('conversion-rate outliers', () => {
  it('fires above the ceiling once the click minimum is passed, with the rate as its measurement', () => {
    expect(conversionRateOutliers({ rates: { source: { clicks: 800, conversions: 100 } } }, settings())).toEqual([
      { code: 'cr_outlier_source', fired: true, value: '12.5 % of 800 clicks', threshold: 'max 10 % from 500 clicks', measured: 0.125 },
    ]);
  });

  it('does not fire within the bounds', () => {
    const [reading] = conversionRateOutliers({ rates: { source: { clicks: 800, conversions: 40 } } }, settings({ minRate: 0.01 }));
    expect(reading).toMatchObject({ fired: false, value: '5 % of 800 clicks', threshold: 'min 1 %, max 10 % from 500 clicks', measured: 0.05 });
  });

  it('fires below the floor once the click minimum is passed', () => {
    const [reading] = conversionRateOutliers({ rates: { source: { clicks: 2000, conversions: 1 } } }, settings({ maxRate: null, minRate: 0.01 }));
    expect(reading).toMatchObject({ fired: true, value: '0.05 % of 2000 clicks', measured: 0.0005 });
  });

  it('shows but does not fire a rate above or below the bounds before the click minimum', () => {
    const above = conversionRateOutliers({ rates: { source: { clicks: 499, conversions: 250 } } }, settings());
    const below = conversionRateOutliers({ rates: { source: { clicks: 499, conversions: 0 } } }, settings({ minRate: 0.01 }));
    expect(above).toEqual([expect.objectContaining({ fired: false, measured: 250 / 499 })]);
    expect(below).toEqual([expect.objectContaining({ fired: false, measured: 0 })]);
  });

  it("judges the zone's rate when the policy names its sub id, and names the zone", () => {
    const rates = { source: { clicks: 10_000, conversions: 300 }, sub: { param: 'sub2' as const, value: 'zone-7', clicks: 600, conversions: 120 } };
    expect(conversionRateOutliers({ rates }, settings({ subParam: 'sub2' }))).toEqual([
      expect.objectContaining({ code: 'cr_outlier_source', fired: false }),
      { code: 'cr_outlier_sub', fired: true, value: 'sub2=zone-7: 20 % of 600 clicks', threshold: 'max 10 % from 500 clicks', measured: 0.2 },
    ]);
    // A zone measured for another sub id than the policy's is not judged.
    expect(conversionRateOutliers({ rates }, settings({ subParam: 'sub3' })).map((r) => r.code)).toEqual(['cr_outlier_source']);
  });

  it('is absent without bounds or without a measured rate', () => {
    expect(conversionRateOutliers({ rates: { source: { clicks: 800, conversions: 100 } } }, { conversionRate: null })).toEqual([]);
    expect(conversionRateOutliers({ rates: { source: { clicks: 800, conversions: 100 } } }, settings({ maxRate: null }))).toEqual([]);
    expect(conversionRateOutliers({}, settings())).toEqual([]);
  });

  it('alone stays below the flag score in the scorer', () => {
    const at = new Date('2026-01-01T00:00:00Z');
    const facts = {
      click: { subs: {}, userAgent: 'Mozilla/5.0 Chrome/120.0', at },
      at: new Date(at.getTime() + 60_000),
      rates: { source: { clicks: 800, conversions: 400 } },
    };
    const assessment = new FraudScorer().assessConversion(facts, withFraudDefaults(settings()));
    expect(firedReasons(assessment)).toEqual(['cr_outlier_source']);
    expect(assessment).toMatchObject({ score: 30, verdict: 'allow' });
  });
});
