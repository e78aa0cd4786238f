import { decideConversion } from './decide-conversion';
import { statusFor, type StatusByCurrent } from './status-rules';
import type { ConversionSnapshot } from './types';

// impact.com's REVERSED: declined while the action is pending, refunded once it was approved.
const REVERSED: StatusByCurrent = { pending: 'declined' };

function snap(status: ConversionSnapshot['status']): ConversionSnapshot {
  return { status, payout: '10', revenue: '100', currency: 'USD', txid: 'A1', goal: '', source: 's2s', pixelSeen: false };
}

describe('statusFor', () => {
  it('uses the rule for the current status', () => {
    expect(statusFor('pending', 'refunded', REVERSED)).toBe('declined');
  });

  it('keeps the event status for a current status the rule does not name', () => {
    expect(statusFor('approved', 'refunded', REVERSED)).toBe('refunded');
  });

  it('keeps the event status when there is no conversion yet or no rule', () => {
    expect(statusFor(undefined, 'refunded', REVERSED)).toBe('refunded');
    expect(statusFor('pending', 'refunded', undefined)).toBe('refunded');
  });

  it('ignores a rule naming something that is not a status', () => {
    expect(statusFor('pending', 'refunded', { pending: 'nope' } as unknown as StatusByCurrent)).toBe('refunded');
  });

  it('does not read inherited properties as rules', () => {
    expect(statusFor('pending', 'approved', Object.create({ pending: 'declined' }) as StatusByCurrent)).toBe('approved');
  });
});

describe('decideConversion with a status rule', () => {
  const policy = { defaultCurrency: 'USD' };

  it('declines a pending conversion that impact.com reverses', () => {
    const decision = decideConversion(snap('pending'), { channel: 's2s', txid: 'A1', status: 'refunded', statusByCurrent: REVERSED }, policy);
    expect(decision).toMatchObject({ outcome: 'updated', next: { status: 'declined' }, history: { from: 'pending', to: 'declined' } });
  });

  it('refunds an approved conversion that impact.com reverses', () => {
    const decision = decideConversion(snap('approved'), { channel: 's2s', txid: 'A1', status: 'refunded', statusByCurrent: REVERSED }, policy);
    expect(decision).toMatchObject({ outcome: 'updated', next: { status: 'refunded' } });
  });

  it('without the rule a reversal of a pending conversion is a forbidden move', () => {
    const decision = decideConversion(snap('pending'), { channel: 's2s', txid: 'A1', status: 'refunded' }, policy);
    expect(decision).toEqual({ outcome: 'ignored', reason: 'transition_not_allowed:pending->refunded' });
  });
});
