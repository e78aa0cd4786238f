import { clickCost, referrerDomain, visitorHash } from './click-enrichment';

describe('click enrichment', () => {
  it('prices clicks by the campaign model; auto reads the URL and flags a missing or bad cost', () => {
    expect(clickCost('cpc', '0.05', undefined)).toEqual({ cost: '0.05', missing: false });
    expect(clickCost('auto', null, '0.0123')).toEqual({ cost: '0.0123', missing: false });
    expect(clickCost('auto', null, undefined)).toEqual({ cost: '0', missing: true });
    expect(clickCost('auto', null, '1e3')).toEqual({ cost: '0', missing: true });
    expect(clickCost('cpa', '2', '5')).toEqual({ cost: '0', missing: false });
  });

  it('keeps the referrer host without www', () => {
    expect(referrerDomain('https://www.Example.com/path?q=1')).toBe('example.com');
    expect(referrerDomain('not a url')).toBeNull();
    expect(referrerDomain(undefined)).toBeNull();
  });

  it('hashes IP and User-Agent into a stable visitor key', () => {
    expect(visitorHash('1.2.3.4', 'UA')).toBe(visitorHash('1.2.3.4', 'UA'));
    expect(visitorHash('1.2.3.4', 'UA')).not.toBe(visitorHash('1.2.3.5', 'UA'));
  });
});
