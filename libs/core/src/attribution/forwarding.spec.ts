import type { ConversionStatus } from '../conversion/conversion-status';
import { decideConversion } from './decide-conversion';
import { shouldForward } from './forwarding';
import type { AttributionDecision, AttributionPolicy, ConversionEvent, ConversionSnapshot } from './types';

const policy: AttributionPolicy = { defaultCurrency: 'USD' };
const s2s: ConversionSnapshot = { status: 'pending', payout: '10', revenue: null, currency: 'USD', txid: 'T1', goal: '', source: 's2s', pixelSeen: false };
const pixel: ConversionSnapshot = { ...s2s, source: 'pixel', pixelSeen: true, txid: null, status: 'approved' };

// Decisions come from the real engine so these cases break if the engine's change kinds drift.
const decide = (existing: ConversionSnapshot | undefined, event: ConversionEvent): AttributionDecision => decideConversion(existing, event, policy);

const on = { forwardPixel: true };
const off = { forwardPixel: false };
const only = (...statuses: ConversionStatus[]) => ({ forwardPixel: false, statuses });

describe('shouldForward', () => {
  it.each<[string, AttributionDecision, { forwardPixel: boolean; statuses?: ConversionStatus[] }, boolean]>([
    ['s2s creation', decide(undefined, { channel: 's2s' }), off, true],
    ['s2s creation, pixel forwarding on', decide(undefined, { channel: 's2s' }), on, true],
    ['pixel creation, pixel forwarding off', decide(undefined, { channel: 'pixel' }), off, false],
    ['pixel creation, pixel forwarding on', decide(undefined, { channel: 'pixel' }), on, true],
    ['s2s status change', decide(s2s, { channel: 's2s', status: 'approved' }), off, true],
    ['s2s payout change', decide(s2s, { channel: 's2s', payout: '11' }), off, true],
    ['s2s currency change', decide(s2s, { channel: 's2s', currency: 'EUR' }), off, true],
    ['s2s revenue-only change', decide(s2s, { channel: 's2s', revenue: '50' }), off, false],
    ['s2s txid-only change', decide({ ...s2s, txid: null }, { channel: 's2s', txid: 'T5' }), off, false],
    ['duplicate', decide(s2s, { channel: 's2s' }), on, false],
    ['ignored', decide(s2s, { channel: 's2s', status: 'refunded' }), on, false],
    ['pixel confirmation', decide(s2s, { channel: 'pixel' }), on, false],
    ['upgrade, pixel forwarding off (source has heard nothing)', decide(pixel, { channel: 's2s', payout: '10' }), off, true],
    ['upgrade with same values, pixel forwarding on (already told)', decide(pixel, { channel: 's2s', payout: '10' }), on, false],
    ['upgrade with another payout, pixel forwarding on', decide(pixel, { channel: 's2s', payout: '12' }), on, true],
    ['upgrade with another status, pixel forwarding on', decide(pixel, { channel: 's2s', status: 'pending', payout: '10' }), on, true],
    ['pixel status change, pixel forwarding on', decide(pixel, { channel: 'pixel', status: 'refunded' }), on, true],
    ['pixel status change, pixel forwarding off', decide(pixel, { channel: 'pixel', status: 'refunded' }), off, false],
    ['pixel payout change, pixel forwarding on', decide(pixel, { channel: 'pixel', payout: '3' }), on, true],
    ['status filter: new status listed', decide(s2s, { channel: 's2s', status: 'approved' }), only('approved'), true],
    ['status filter: new status not listed', decide(s2s, { channel: 's2s', status: 'declined' }), only('approved'), false],
    ['status filter: creation not listed', decide(undefined, { channel: 's2s', status: 'pending' }), only('approved', 'refunded'), false],
    ['status filter: empty list forwards nothing', decide(undefined, { channel: 's2s' }), only(), false],
    ['status filter on a pixel creation', decide(undefined, { channel: 'pixel' }), { forwardPixel: true, statuses: ['pending'] }, false],
  ])('%s → %p', (_name, decision, source, expected) => {
    expect(shouldForward(decision, source)).toBe(expected);
  });
});
