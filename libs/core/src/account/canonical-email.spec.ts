import { canonicalEmail } from './canonical-email';

describe('canonicalEmail', () => {
  it.each([
    ['nina@example.com', 'nina@example.com'],
    ['NINA@Example.COM', 'nina@example.com'],
    ['n\u0130na@example.com', 'nina@example.com'],
    [' nina@example.com ', 'nina@example.com'],
    ['stra\u00dfe@example.com', 'strasse@example.com'],
    ['\uff4e\uff49\uff4e\uff41@example.com', 'nina@example.com'],
    ['\u212aelvin@example.com', 'kelvin@example.com'],
    ['cafe\u0301@example.com', 'caf\u00e9@example.com'],
  ])('%j becomes %j', (input, expected) => {
    expect(canonicalEmail(input)).toBe(expected);
  });

  it('is stable: the canonical form of a canonical form is itself', () => {
    for (const s of ['n\u0130na@x.io', 'STRA\u00dfE@x.io', '\u1e9e@x.io', '\u03a3\u03c2@x.io', '\ufb01@x.io']) {
      expect(canonicalEmail(canonicalEmail(s))).toBe(canonicalEmail(s));
    }
  });
});
