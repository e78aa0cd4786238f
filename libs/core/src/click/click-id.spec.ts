import { CLICK_ID_LENGTH, clickIdTime, isClickId, newClickId } from './click-id';

describe('click id', () => {
  it('is 30 url-safe characters that pass its own check', () => {
    const id = newClickId();
    expect(id).toHaveLength(CLICK_ID_LENGTH);
    expect(encodeURIComponent(id)).toBe(id);
    expect(isClickId(id)).toBe(true);
  });

  it('sorts by creation time', () => {
    const earlier = newClickId(1_700_000_000_000);
    const later = newClickId(1_700_000_000_001);
    expect(earlier < later).toBe(true);
    expect(clickIdTime(earlier).getTime()).toBe(1_700_000_000_000);
  });

  it('does not repeat across many draws (random part is wide)', () => {
    const now = Date.now();
    const ids = new Set(Array.from({ length: 20_000 }, () => newClickId(now)));
    expect(ids.size).toBe(20_000);
  });

  it('rejects ids of the wrong shape', () => {
    expect(isClickId('')).toBe(false);
    expect(isClickId('x'.repeat(CLICK_ID_LENGTH + 1))).toBe(false);
    expect(isClickId('U'.repeat(CLICK_ID_LENGTH))).toBe(false);
  });
});
