import { contrastRatio, over, readableOn } from './contrast';

describe('text colours that reach WCAG AA', () => {
  it('computes the WCAG ratio: black on white is 21, a colour on itself 1', () => {
    expect(contrastRatio('#000000', '#ffffff')).toBeCloseTo(21, 5);
    expect(contrastRatio('#ffffff', '#000000')).toBeCloseTo(21, 5);
    expect(contrastRatio('#099268', '#099268')).toBe(1);
    // Mantine's teal 8 on white, as axe-core reports it.
    expect(contrastRatio('#099268', '#ffffff')).toBeCloseTo(3.99, 1);
  });

  it('paints a translucent tint over its background as the browser does', () => {
    expect(over('rgba(255, 0, 0, 0.5)', '#ffffff')).toBe('rgb(255, 128, 128)');
    expect(over('rgba(0, 0, 0, 1)', '#ffffff')).toBe('rgb(0, 0, 0)');
    expect(over('rgba(0, 0, 0, 0)', '#123456')).toBe('rgb(18, 52, 86)');
  });

  it('keeps a colour that already passes, and darkens one on a light background until it passes', () => {
    expect(readableOn('#212529', '#ffffff')).toBe('#212529');
    // The yellow badge text axe-core refused (2.2:1 on its tint).
    const tint = over('rgba(240, 140, 0, 0.12)', '#f1f3f5');
    const fixed = readableOn('#f08c00', tint);
    expect(contrastRatio(fixed, tint)).toBeGreaterThanOrEqual(4.5);
    expect(contrastRatio(fixed, tint)).toBeLessThan(7);
  });

  it('lightens a colour on a dark background until it passes', () => {
    const fixed = readableOn('#828282', '#3b3b3b');
    expect(fixed).not.toBe('#828282');
    expect(contrastRatio(fixed, '#3b3b3b')).toBeGreaterThanOrEqual(4.5);
  });
});
