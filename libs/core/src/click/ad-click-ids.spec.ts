import { adClickIds } from './ad-click-ids';

describe('adClickIds', () => {
  it('is undefined for a link with no identifier, so the click stores nothing', () => {
    expect(adClickIds({ sub1: 'x', gclid: '', fbclid: '  ' })).toBeUndefined();
  });

  it('reads every identifier, the cookie names too, keeping the case', () => {
    expect(
      adClickIds({
        fbclid: 'IwAR2F4-dbP0l7Mn1IawQQ',
        _fbc: 'fb.1.1700000000000.IwAR',
        _fbp: 'fb.1.1700000000000.42',
        gclid: 'Cj0KCQ',
        gbraid: 'GB',
        wbraid: 'WB',
        ttclid: 'E.C.P.x',
        _ttp: 'ttp-1',
        landing_url: 'https://shop.example/lp?a=1',
      }),
    ).toEqual({
      fbclid: 'IwAR2F4-dbP0l7Mn1IawQQ',
      fbc: 'fb.1.1700000000000.IwAR',
      fbp: 'fb.1.1700000000000.42',
      gclid: 'Cj0KCQ',
      gbraid: 'GB',
      wbraid: 'WB',
      ttclid: 'E.C.P.x',
      ttp: 'ttp-1',
      landingUrl: 'https://shop.example/lp?a=1',
    });
  });

  it('prefers fbc over _fbc, and drops a landing URL that is not http(s)', () => {
    expect(adClickIds({ fbc: 'a', _fbc: 'b', landing_url: 'javascript:alert(1)' })).toEqual({ fbc: 'a' });
  });

  it('cuts long values', () => {
    expect(adClickIds({ gclid: 'g'.repeat(2000) })!.gclid).toHaveLength(512);
  });
});
