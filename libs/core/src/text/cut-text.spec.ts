import fc from 'fast-check';
import { cutText } from './cut-text';

describe('cutText', () => {
  it('never splits a surrogate pair', () => {
    expect(cutText(`a${'😀'.repeat(300)}`, 512)).toBe(`a${'😀'.repeat(255)}`);
    expect(cutText('😀😀', 3)).toBe('😀');
    expect(cutText('abc', 2)).toBe('ab');
    expect(cutText('abc', 5)).toBe('abc');
  });

  it('is well-formed and as long as allowed for any text', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 80 }), fc.integer({ min: 1, max: 100 }), (text, max) => {
        const cut = cutText(text, max);
        expect(text.startsWith(cut)).toBe(true);
        expect(cut.length).toBeLessThanOrEqual(max);
        expect(cut.length).toBeGreaterThanOrEqual(Math.min(text.length, max - 1));
        expect(() => encodeURIComponent(cut)).not.toThrow();
      }),
    );
  });
});
