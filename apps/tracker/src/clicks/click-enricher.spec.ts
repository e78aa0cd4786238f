import { ClickEnricher } from './click-enricher';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1';
const click = (id: string, extra: object = {}) => ({ id, campaignId: 'c', subs: {}, createdAt: new Date(), ...extra });

describe('ClickEnricher', () => {
  const enricher = new ClickEnricher();

  it('adds country, device, OS, browser, referrer domain and cost', () => {
    const [c] = enricher.enrich([
      click('a', { ip: '::ffff:8.8.8.8', userAgent: IPHONE, raw: { referer: 'https://www.site.example/x', costModel: 'auto', costParamValue: '0.25' } }),
    ]);
    expect(c.enrichment).toMatchObject({
      country: 'US',
      deviceType: 'mobile',
      os: 'iOS',
      browser: 'Mobile Safari',
      referrerDomain: 'site.example',
      cost: '0.25',
      costMissing: false,
    });
  });

  it('leaves what it cannot know empty', () => {
    const [c] = enricher.enrich([click('a', { ip: '127.0.0.1' })]);
    expect(c.enrichment).toMatchObject({ country: '', deviceType: '', os: '', browser: '', referrerDomain: null, cost: '0' });
  });

  it('follows the pw_click cookie to a click of the same batch, and leaves other cookies to the database', () => {
    const [first, second, third] = enricher.enrich([
      click('a', { ip: '1.1.1.1', userAgent: 'x' }),
      click('b', { ip: '2.2.2.2', userAgent: 'y', raw: { cookieClickId: 'a' } }),
      click('c', { ip: '3.3.3.3', userAgent: 'z', raw: { cookieClickId: 'stored-earlier' } }),
    ]);
    expect(second.enrichment!.visitorKey).toBe(first.enrichment!.visitorKey);
    expect(second.enrichment!.cookieClickId).toBeUndefined();
    expect(third.enrichment!.cookieClickId).toBe('stored-earlier');
  });
});
