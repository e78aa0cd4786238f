import { classifyReconciliation } from './reconciliation';

describe('classifyReconciliation', () => {
  it.each([
    ['pixel', true, 'pixel_only'],
    ['pixel', false, 'pixel_only'],
    ['s2s', false, 's2s_only'],
    ['s2s', true, 'both'],
  ] as const)('source %s, pixelSeen %p → %s', (source, pixelSeen, expected) => {
    expect(classifyReconciliation({ source, pixelSeen })).toBe(expected);
  });
});
