import type { ConversionStatus } from '../conversion/conversion-status';
import { canTransition } from './transitions';

// Written out by hand rather than derived from ALLOWED_TRANSITIONS, so a change to the table
// has to be made twice on purpose.
const PAIRS: Array<[ConversionStatus, ConversionStatus, boolean]> = [
  ['pending', 'pending', false],
  ['pending', 'approved', true],
  ['pending', 'declined', true],
  ['pending', 'refunded', false],
  ['approved', 'pending', false],
  ['approved', 'approved', false],
  ['approved', 'declined', false],
  ['approved', 'refunded', true],
  ['declined', 'pending', false],
  ['declined', 'approved', true],
  ['declined', 'declined', false],
  ['declined', 'refunded', false],
  ['refunded', 'pending', false],
  ['refunded', 'approved', false],
  ['refunded', 'declined', false],
  ['refunded', 'refunded', false],
];

describe('canTransition', () => {
  it.each(PAIRS)('%s -> %s is %p', (from, to, allowed) => {
    expect(canTransition(from, to)).toBe(allowed);
  });

  it('covers all 16 pairs', () => {
    expect(new Set(PAIRS.map(([from, to]) => `${from}->${to}`)).size).toBe(16);
  });
});
