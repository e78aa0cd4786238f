import { DEFAULT_FRAUD_POLICY, withFraudDefaults } from '../fraud-policy';
import { FraudScorer } from '../fraud-scorer';
import { firedReasons } from '../fraud-signal';
import { geoMismatch } from './geo-mismatch';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const at = new Date('2026-01-01T00:00:00Z');
const click = (country: string | null) => ({ ip: '81.2.69.142', userAgent: CHROME, subs: {}, at, country });

describe('geo mismatch', () => {
  it('fires when the buyer is in another country than the click, naming both', () => {
    expect(geoMismatch({ click: click('DE'), country: 'US' }, DEFAULT_FRAUD_POLICY)).toEqual([
      { code: 'geo_mismatch', fired: true, value: 'click DE, conversion US', threshold: 'same country' },
    ]);
  });

  it('reads but does not fire when the countries match', () => {
    expect(geoMismatch({ click: click('DE'), country: 'DE' }, DEFAULT_FRAUD_POLICY)).toEqual([
      { code: 'geo_mismatch', fired: false, value: 'click DE, conversion DE', threshold: 'same country' },
    ]);
  });

  it('is absent when the conversion or the click has no country', () => {
    expect(geoMismatch({ click: click('DE') }, DEFAULT_FRAUD_POLICY)).toEqual([]);
    expect(geoMismatch({ click: click('DE'), country: null }, DEFAULT_FRAUD_POLICY)).toEqual([]);
    expect(geoMismatch({ click: click(''), country: 'US' }, DEFAULT_FRAUD_POLICY)).toEqual([]);
  });

  it('counts countries of one market as the same', () => {
    const policy = { geoMismatch: { sameMarket: [['DE', 'AT', 'CH']] } };
    expect(geoMismatch({ click: click('DE'), country: 'AT' }, policy)[0]).toMatchObject({ fired: false, threshold: 'same country or market' });
    expect(geoMismatch({ click: click('DE'), country: 'US' }, policy)[0].fired).toBe(true);
  });

  it('alone flags under the default policy and does not reach a hold policy action score', () => {
    const scorer = new FraudScorer();
    const facts = { click: click('DE'), at: new Date(at.getTime() + 60_000), country: 'US' };
    const flagged = scorer.assessConversion(facts, withFraudDefaults({}));
    expect(firedReasons(flagged)).toEqual(['geo_mismatch']);
    expect(flagged.verdict).toBe('flag');
    expect(scorer.assessConversion(facts, withFraudDefaults({ action: 'hold' })).verdict).toBe('flag');
    // Weighed 0, it is not even shown.
    expect(scorer.assessConversion(facts, withFraudDefaults({ weights: { geo_mismatch: 0 } })).signals.map((s) => s.code)).not.toContain('geo_mismatch');
  });
});
