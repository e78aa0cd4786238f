import type { ConversionStatus } from '../conversion/conversion-status';
import { decideConversion } from './decide-conversion';
import type { AttributionDecision, AttributionPolicy, Channel, ConversionEvent, ConversionSnapshot } from './types';

const policy: AttributionPolicy = { defaultCurrency: 'USD', defaultPayout: '5' };

function snap(over: Partial<ConversionSnapshot> = {}): ConversionSnapshot {
  return {
    status: 'pending',
    payout: '10',
    revenue: '100',
    currency: 'USD',
    txid: 'T1',
    goal: '',
    source: 's2s',
    pixelSeen: false,
    ...over,
  };
}

function pixelSnap(over: Partial<ConversionSnapshot> = {}): ConversionSnapshot {
  return snap({ source: 'pixel', pixelSeen: true, ...over });
}

function expectUpdated(decision: AttributionDecision) {
  if (decision.outcome !== 'updated') throw new Error(`expected updated, got ${JSON.stringify(decision)}`);
  return decision;
}

describe('decideConversion: creation', () => {
  it.each<[string, ConversionEvent, AttributionPolicy, Partial<ConversionSnapshot>]>([
    [
      's2s with every field',
      { channel: 's2s', status: 'pending', payout: '12.5', revenue: '99.99', currency: 'EUR', txid: 'A1', goal: 'sale' },
      policy,
      { status: 'pending', payout: '12.5', revenue: '99.99', currency: 'EUR', txid: 'A1', goal: 'sale', source: 's2s', pixelSeen: false },
    ],
    ['s2s without status is an approved sale', { channel: 's2s' }, policy, { status: 'approved', source: 's2s', pixelSeen: false }],
    ['pixel without status is approved too', { channel: 'pixel' }, policy, { status: 'approved', source: 'pixel', pixelSeen: true }],
    ['pixel with a status keeps it', { channel: 'pixel', status: 'pending' }, policy, { status: 'pending', source: 'pixel' }],
    ['no payout → the offer payout', { channel: 's2s' }, policy, { payout: '5' }],
    ['no payout and no offer payout → null', { channel: 's2s' }, { defaultCurrency: 'USD' }, { payout: null }],
    ['no payout and offer payout null → null', { channel: 's2s' }, { defaultCurrency: 'USD', defaultPayout: null }, { payout: null }],
    ['a zero payout is a payout, not a missing one', { channel: 's2s', payout: '0' }, policy, { payout: '0' }],
    ['no currency → policy default', { channel: 's2s' }, { defaultCurrency: 'gbp' }, { currency: 'GBP' }],
    ['currency is upper-cased', { channel: 's2s', currency: 'eur' }, policy, { currency: 'EUR' }],
    ['amounts are normalised exactly', { channel: 's2s', payout: '0010.50', revenue: '19.990000' }, policy, { payout: '10.5', revenue: '19.99' }],
    ['no revenue → null', { channel: 's2s' }, policy, { revenue: null }],
    ['blank txid and goal are "not said"', { channel: 's2s', txid: '', goal: '' }, policy, { txid: null, goal: '' }],
  ])('%s', (_name, event, pol, expected) => {
    const decision = decideConversion(undefined, event, pol);
    expect(decision.outcome).toBe('accepted');
    if (decision.outcome !== 'accepted') return;
    expect(decision.next).toMatchObject(expected);
    expect(decision.changes).toEqual(['created']);
  });

  it('records history from nothing', () => {
    expect(decideConversion(undefined, { channel: 'pixel', status: 'pending', payout: '3', currency: 'EUR' }, policy)).toEqual({
      outcome: 'accepted',
      next: { status: 'pending', payout: '3', revenue: null, currency: 'EUR', txid: null, goal: '', source: 'pixel', pixelSeen: true },
      changes: ['created'],
      history: { from: null, to: 'pending', payoutBefore: null, payoutAfter: '3', currencyBefore: null, currencyAfter: 'EUR', channel: 'pixel' },
    });
  });
});

// Hand-written expectation for every (from, to) pair: allowed moves, forbidden ones, and repeats.
const MATRIX: Record<ConversionStatus, Record<ConversionStatus, 'same' | 'allowed' | 'forbidden'>> = {
  pending: { pending: 'same', approved: 'allowed', declined: 'allowed', refunded: 'forbidden' },
  approved: { pending: 'forbidden', approved: 'same', declined: 'forbidden', refunded: 'allowed' },
  declined: { pending: 'forbidden', approved: 'allowed', declined: 'same', refunded: 'forbidden' },
  refunded: { pending: 'forbidden', approved: 'forbidden', declined: 'forbidden', refunded: 'same' },
};
const STATUS_PAIRS = (Object.keys(MATRIX) as ConversionStatus[]).flatMap((from) =>
  (Object.keys(MATRIX[from]) as ConversionStatus[]).map((to) => ({ from, to, rule: MATRIX[from][to] })),
);
const CASES = (['s2s', 'pixel'] as Channel[]).flatMap((channel) => STATUS_PAIRS.map((pair) => ({ channel, ...pair })));

describe('decideConversion: every status pair on the same channel', () => {
  it('has 16 pairs per channel', () => {
    expect(STATUS_PAIRS).toHaveLength(16);
  });

  const existingFor = (channel: Channel, status: ConversionStatus) => (channel === 's2s' ? snap({ status }) : pixelSnap({ status }));
  const prefix = (channel: Channel) => (channel === 'pixel' ? ['pixel_values_changed'] : []);

  it.each(CASES)('$channel $from -> $to ($rule), same payout', ({ channel, from, to, rule }) => {
    const decision = decideConversion(existingFor(channel, from), { channel, status: to, payout: '10' }, policy);
    if (rule === 'same') {
      expect(decision).toEqual({ outcome: 'duplicate' });
    } else if (rule === 'forbidden') {
      expect(decision).toEqual({ outcome: 'ignored', reason: `transition_not_allowed:${from}->${to}` });
    } else {
      expect(decision).toEqual({
        outcome: 'updated',
        next: { ...existingFor(channel, from), status: to },
        changes: [...prefix(channel), 'status_changed'],
        history: { from, to, payoutBefore: '10', payoutAfter: '10', currencyBefore: 'USD', currencyAfter: 'USD', channel },
      });
    }
  });

  it.each(CASES)('$channel $from -> $to ($rule), new payout', ({ channel, from, to, rule }) => {
    const decision = decideConversion(existingFor(channel, from), { channel, status: to, payout: '12.25' }, policy);
    if (rule === 'forbidden') {
      expect(decision).toEqual({ outcome: 'ignored', reason: `transition_not_allowed:${from}->${to}` });
      return;
    }
    const moved = rule === 'same' ? ['payout_changed'] : ['status_changed', 'payout_changed'];
    expect(decision).toEqual({
      outcome: 'updated',
      next: { ...existingFor(channel, from), status: to, payout: '12.25' },
      changes: [...prefix(channel), ...moved],
      history: { from, to, payoutBefore: '10', payoutAfter: '12.25', currencyBefore: 'USD', currencyAfter: 'USD', channel },
    });
  });
});

describe('decideConversion: repeats and value changes on an S2S conversion', () => {
  it.each<[string, ConversionSnapshot, ConversionEvent]>([
    ['identical repeat', snap(), { channel: 's2s', status: 'pending', payout: '10', revenue: '100', currency: 'USD', txid: 'T1' }],
    ['no status, no values', snap(), { channel: 's2s' }],
    ['same payout written differently', snap({ payout: '10.000000' }), { channel: 's2s', payout: '10.0' }],
    ['same currency in lower case', snap(), { channel: 's2s', currency: 'usd' }],
    ['same explicit goal', snap({ goal: 'sale' }), { channel: 's2s', goal: 'sale' }],
    ['blank goal is "not said"', snap({ goal: 'sale' }), { channel: 's2s', goal: '' }],
    ['blank txid is "not said"', snap(), { channel: 's2s', txid: '' }],
  ])('duplicate: %s', (_name, existing, event) => {
    expect(decideConversion(existing, event, policy)).toEqual({ outcome: 'duplicate' });
  });

  it('a missing status leaves the status unchanged while values change', () => {
    const decision = expectUpdated(decideConversion(snap({ status: 'approved' }), { channel: 's2s', payout: '11' }, policy));
    expect(decision.next).toEqual(snap({ status: 'approved', payout: '11' }));
    expect(decision.changes).toEqual(['payout_changed']);
    expect(decision.history).toMatchObject({ from: 'approved', to: 'approved', payoutBefore: '10', payoutAfter: '11' });
  });

  it('revenue alone changes without a history row', () => {
    const decision = expectUpdated(decideConversion(snap(), { channel: 's2s', revenue: '120.5' }, policy));
    expect(decision.next.revenue).toBe('120.5');
    expect(decision.changes).toEqual(['revenue_changed']);
    expect(decision.history).toBeUndefined();
  });

  it('a currency change is a change of what is owed and gets a history row', () => {
    const decision = expectUpdated(decideConversion(snap(), { channel: 's2s', currency: 'EUR' }, policy));
    expect(decision.next.currency).toBe('EUR');
    expect(decision.changes).toEqual(['currency_changed']);
    expect(decision.history).toMatchObject({ currencyBefore: 'USD', currencyAfter: 'EUR', payoutBefore: '10', payoutAfter: '10' });
  });

  it('a txid arriving later is stored', () => {
    const decision = expectUpdated(decideConversion(snap({ txid: null }), { channel: 's2s', txid: 'T9' }, policy));
    expect(decision.next.txid).toBe('T9');
    expect(decision.changes).toEqual(['txid_changed']);
    expect(decision.history).toBeUndefined();
  });

  it('a refund keeps the payout it had (reports exclude refunded by status)', () => {
    const decision = expectUpdated(decideConversion(snap({ status: 'approved' }), { channel: 's2s', status: 'refunded' }, policy));
    expect(decision.next.payout).toBe('10');
  });

  it.each<[string, ConversionSnapshot, ConversionEvent, string]>([
    ['another txid once one is stored', snap(), { channel: 's2s', txid: 'T2', status: 'approved' }, 'txid_mismatch'],
    ['another goal', snap({ goal: 'lead' }), { channel: 's2s', goal: 'sale' }, 'goal_mismatch:lead->sale'],
    ['a goal on a default-goal conversion', snap(), { channel: 's2s', goal: 'sale' }, 'goal_mismatch:->sale'],
    [
      'a forbidden move even when it carries a new payout',
      snap({ status: 'refunded' }),
      { channel: 's2s', status: 'approved', payout: '50' },
      'transition_not_allowed:refunded->approved',
    ],
    ['a malformed payout', snap(), { channel: 's2s', payout: '1e3' }, 'invalid_payout'],
    ['a negative payout', snap(), { channel: 's2s', payout: '-5' }, 'invalid_payout'],
    ['a malformed revenue', snap(), { channel: 's2s', revenue: 'NaN' }, 'invalid_revenue'],
    ['an unknown currency', snap(), { channel: 's2s', currency: 'XYZW' }, 'invalid_currency'],
  ])('ignored: %s', (_name, existing, event, reason) => {
    expect(decideConversion(existing, event, policy)).toEqual({ outcome: 'ignored', reason });
  });

  it.each<[string, ConversionEvent, string]>([
    ['payout', { channel: 's2s', payout: 'abc' }, 'invalid_payout'],
    ['revenue', { channel: 'pixel', revenue: '1,5' }, 'invalid_revenue'],
    ['currency', { channel: 's2s', currency: 'dollars' }, 'invalid_currency'],
  ])('a malformed %s never creates a conversion', (_name, event, reason) => {
    expect(decideConversion(undefined, event, policy)).toEqual({ outcome: 'ignored', reason });
  });

  it.each<[string, AttributionPolicy]>([
    ['currency', { defaultCurrency: 'nope' }],
    ['payout', { defaultCurrency: 'USD', defaultPayout: '1e3' }],
  ])('throws on a misconfigured policy %s', (_name, pol) => {
    expect(() => decideConversion(undefined, { channel: 's2s' }, pol)).toThrow(RangeError);
  });

  it('50 identical postbacks make one conversion', () => {
    const event: ConversionEvent = { channel: 's2s', status: 'approved', payout: '7.77', txid: 'X' };
    let state: ConversionSnapshot | undefined;
    const outcomes: string[] = [];
    for (let i = 0; i < 50; i++) {
      const decision = decideConversion(state, event, policy);
      outcomes.push(decision.outcome);
      if (decision.outcome === 'accepted' || decision.outcome === 'updated') state = decision.next;
    }
    expect(outcomes[0]).toBe('accepted');
    expect(outcomes.slice(1)).toEqual(Array(49).fill('duplicate'));
  });
});

describe('decideConversion: pixel and S2S', () => {
  it('pixel first creates a provisional pixel conversion', () => {
    const decision = decideConversion(undefined, { channel: 'pixel', payout: '8', txid: 'ORDER-1' }, policy);
    expect(decision).toMatchObject({ outcome: 'accepted', next: { source: 'pixel', pixelSeen: true, status: 'approved', payout: '8', txid: 'ORDER-1' } });
  });

  it('S2S after a pixel replaces every pixel value, whatever the pixel status was', () => {
    const existing = pixelSnap({ status: 'approved', payout: '8', revenue: '80', currency: 'EUR', txid: 'ORDER-1', goal: 'sale' });
    const decision = decideConversion(existing, { channel: 's2s', status: 'pending', payout: '9', txid: 'NET-1' }, policy);
    // approved -> pending would be a forbidden move; an upgrade is not a move.
    expect(decision).toEqual({
      outcome: 'updated',
      next: { status: 'pending', payout: '9', revenue: null, currency: 'USD', txid: 'NET-1', goal: 'sale', source: 's2s', pixelSeen: true },
      changes: ['upgraded_to_s2s', 'status_changed', 'payout_changed', 'currency_changed', 'revenue_changed', 'txid_changed'],
      history: { from: 'approved', to: 'pending', payoutBefore: '8', payoutAfter: '9', currencyBefore: 'EUR', currencyAfter: 'USD', channel: 's2s' },
    });
  });

  it('an upgrade without a payout uses the offer payout, as a creation would', () => {
    const decision = expectUpdated(decideConversion(pixelSnap({ payout: '8' }), { channel: 's2s', status: 'pending' }, policy));
    expect(decision.next.payout).toBe('5');
  });

  it('an upgrade that agrees with the pixel changes only the source', () => {
    const existing = pixelSnap({ status: 'approved', payout: '10', revenue: null, txid: null });
    const decision = expectUpdated(decideConversion(existing, { channel: 's2s', payout: '10.00' }, policy));
    expect(decision.changes).toEqual(['upgraded_to_s2s']);
    expect(decision.next).toEqual({ ...existing, source: 's2s', pixelSeen: true });
    expect(decision.history).toBeUndefined();
  });

  it('an upgrade naming another goal is ignored', () => {
    expect(decideConversion(pixelSnap({ goal: 'lead' }), { channel: 's2s', goal: 'sale' }, policy)).toEqual({
      outcome: 'ignored',
      reason: 'goal_mismatch:lead->sale',
    });
  });

  it('a pixel after S2S is only a confirmation', () => {
    const existing = snap();
    const decision = decideConversion(existing, { channel: 'pixel', status: 'declined', payout: '999', txid: 'OTHER', goal: 'x' }, policy);
    expect(decision).toEqual({ outcome: 'updated', next: { ...existing, pixelSeen: true }, changes: ['pixel_confirmed'] });
  });

  it('a second pixel after S2S is a duplicate', () => {
    expect(decideConversion(snap({ pixelSeen: true }), { channel: 'pixel', payout: '999' }, policy)).toEqual({ outcome: 'duplicate' });
  });

  it('a later pixel replaces pixel values', () => {
    const decision = expectUpdated(decideConversion(pixelSnap(), { channel: 'pixel', payout: '11', revenue: '110' }, policy));
    expect(decision.next).toEqual(pixelSnap({ payout: '11', revenue: '110' }));
    expect(decision.changes).toEqual(['pixel_values_changed', 'payout_changed', 'revenue_changed']);
    expect(decision.history).toMatchObject({ channel: 'pixel', payoutBefore: '10', payoutAfter: '11' });
  });

  it('a repeated pixel is a duplicate', () => {
    expect(decideConversion(pixelSnap(), { channel: 'pixel', payout: '10' }, policy)).toEqual({ outcome: 'duplicate' });
  });
});

describe('decideConversion: a txid that belongs to another click', () => {
  it.each<[string, ConversionSnapshot, ConversionEvent]>([
    ['an approval', snap({ clickId: 'A' }), { channel: 's2s', clickId: 'B', txid: 'T1', status: 'approved' }],
    ['a payout change', snap({ clickId: 'A' }), { channel: 's2s', clickId: 'B', txid: 'T1', payout: '9999' }],
    ['a refund', snap({ clickId: 'A', status: 'approved' }), { channel: 's2s', clickId: 'B', txid: 'T1', status: 'refunded' }],
    ['an identical repeat', snap({ clickId: 'A' }), { channel: 's2s', clickId: 'B', txid: 'T1', status: 'pending', payout: '10' }],
    ['a pixel', pixelSnap({ clickId: 'A' }), { channel: 'pixel', clickId: 'B', txid: 'T1', status: 'declined' }],
    ['an S2S upgrade of a pixel conversion', pixelSnap({ clickId: 'A' }), { channel: 's2s', clickId: 'B', txid: 'T1', payout: '50' }],
  ])('refuses %s as txid_conflict, naming no stored value', (_name, existing, event) => {
    const decision = decideConversion(existing, event, policy);
    expect(decision).toEqual({ outcome: 'rejected', reason: 'txid_conflict' });
  });

  it('still applies an event for the same click', () => {
    expect(decideConversion(snap({ clickId: 'A' }), { channel: 's2s', clickId: 'A', txid: 'T1', status: 'approved' }, policy)).toMatchObject({
      outcome: 'updated',
    });
  });

  it('does not leak the stored txid in a mismatch', () => {
    const decision = decideConversion(snap({ clickId: 'A', txid: 'ORDER-1' }), { channel: 's2s', clickId: 'A', txid: 'X' }, policy);
    expect(JSON.stringify(decision)).not.toContain('ORDER-1');
  });
});
