import { compareAmounts } from '../money/decimal-amount';
import { decideConversion } from './decide-conversion';
import type { AttributionDecision, ConversionSnapshot } from './types';
import fc from 'fast-check';
import {
  applyPayoutShare,
  applyStatusWords,
  deliveryValues,
  renderDelivery,
  wantsDelivery,
  type DeliveryValues,
  type ForwardingFilter,
  type ForwardingFormat,
} from './delivery-plan';

const policy = { defaultCurrency: 'USD' };
const s2s: ConversionSnapshot = { status: 'pending', payout: '10', revenue: '40', currency: 'USD', txid: 'T1', goal: '', source: 's2s', pixelSeen: false };
// Decisions come from the real engine, so these cases break if its change kinds drift.
const created = (goal = '', status?: 'pending' | 'approved'): AttributionDecision => decideConversion(undefined, { channel: 's2s', goal, status }, policy);
const approve = decideConversion(s2s, { channel: 's2s', status: 'approved' }, policy);

const everything: ForwardingFilter = { enabled: true, forwardPixel: false, goals: null, statuses: null };

describe('wantsDelivery', () => {
  it('forwards every goal and status by default', () => {
    expect(wantsDelivery(created(), everything)).toBe(true);
    expect(wantsDelivery(created('deposit'), everything)).toBe(true);
    expect(wantsDelivery(approve, everything)).toBe(true);
  });

  it('forwards nothing for a disabled source', () => {
    expect(wantsDelivery(created(), { ...everything, enabled: false })).toBe(false);
  });

  it('keeps to the listed goals ("" is the default goal)', () => {
    const source = { ...everything, goals: ['deposit'] };
    expect(wantsDelivery(created('deposit'), source)).toBe(true);
    expect(wantsDelivery(created('registration'), source)).toBe(false);
    expect(wantsDelivery(created(''), source)).toBe(false);
    expect(wantsDelivery(created(''), { ...everything, goals: [''] })).toBe(true);
    expect(wantsDelivery(created('deposit'), { ...everything, goals: [] })).toBe(false);
  });

  it('keeps to the listed statuses, judged on the new status', () => {
    const source = { ...everything, statuses: ['approved' as const] };
    expect(wantsDelivery(created('', 'pending'), source)).toBe(false);
    expect(wantsDelivery(approve, source)).toBe(true);
  });

  it('leaves pixel, duplicate and ignored rules to the engine', () => {
    const pixel = decideConversion(undefined, { channel: 'pixel' }, policy);
    expect(wantsDelivery(pixel, everything)).toBe(false);
    expect(wantsDelivery(pixel, { ...everything, forwardPixel: true })).toBe(true);
    expect(wantsDelivery(decideConversion(s2s, { channel: 's2s' }, policy), everything)).toBe(false);
  });
});

const values: DeliveryValues = deliveryValues(
  { clickId: 'c1', campaignId: 'camp-1', externalId: 'ext 1&x=2', subs: { sub1: 'banner', sub3: null } },
  'conv-1',
  { ...s2s, status: 'approved', payout: '2.5', currency: 'EUR' },
);

describe('deliveryValues', () => {
  it('holds every macro, missing ones as null', () => {
    expect(values).toMatchObject({
      external_id: 'ext 1&x=2',
      click_id: 'c1',
      conversion_id: 'conv-1',
      campaign_id: 'camp-1',
      payout: '2.5',
      revenue: '40',
      status: 'approved',
      txid: 'T1',
      goal: '',
      currency: 'EUR',
      sub1: 'banner',
      sub2: null,
      sub10: null,
    });
  });
});

describe('applyPayoutShare', () => {
  it('passes the whole payout without a share', () => {
    expect(applyPayoutShare(values, null)).toBe(values);
  });

  it('takes a percentage exactly, rounding half up at six places', () => {
    expect(applyPayoutShare(values, { type: 'percent', value: '70' }).payout).toBe('1.75');
    expect(applyPayoutShare({ ...values, payout: '0.1' }, { type: 'percent', value: '33.333333' }).payout).toBe('0.033333');
    expect(applyPayoutShare({ ...values, payout: '1' }, { type: 'percent', value: '0.00005' }).payout).toBe('0.000001');
    expect(applyPayoutShare({ ...values, payout: null }, { type: 'percent', value: '50' }).payout).toBeNull();
  });

  it('replaces the payout with a fixed amount, and the currency when one is given', () => {
    expect(applyPayoutShare(values, { type: 'fixed', value: '1', currency: null })).toMatchObject({ payout: '1', currency: 'EUR' });
    expect(applyPayoutShare({ ...values, payout: null }, { type: 'fixed', value: '1.2', currency: 'USD' })).toMatchObject({ payout: '1.2', currency: 'USD' });
  });

  it('never gives a source more than the payout for a share up to 100 %', () => {
    const amount = fc
      .tuple(fc.bigInt({ min: 0n, max: 10n ** 12n - 1n }), fc.integer({ min: 0, max: 999_999 }))
      .map(([i, f]) => `${i}.${String(f).padStart(6, '0')}`.replace(/\.?0+$/, '') || '0');
    const percent = fc.integer({ min: 0, max: 100_000_000 }).map((n) => (n / 1_000_000).toFixed(6).replace(/\.?0+$/, '') || '0');
    fc.assert(
      fc.property(amount, percent, (payout, p) => {
        const shared = applyPayoutShare({ ...values, payout }, { type: 'percent', value: p }).payout!;
        expect(compareAmounts(shared, payout)).toBeLessThanOrEqual(0);
        expect(shared).toMatch(/^\d+(\.\d{1,6})?$/);
      }),
    );
  });
});

const format: ForwardingFormat = {
  postbackUrl: 'https://source.example/pb?clickid={external_id}&payout={payout}&st={status}&cur={currency}&s3={sub3}',
  method: 'GET',
  bodyFormat: 'json',
  headers: { 'x-source-key': 'k1' },
  payoutShare: null,
  statusMap: null,
};

describe('status words', () => {
  it("writes {status} in the source's own vocabulary, and Postwire's word where the map is silent", () => {
    const values = { status: 'declined', payout: '1' };
    expect(renderDelivery({ ...format, postbackUrl: 'https://s.example/?e={status}', statusMap: { declined: 'rejected' } }, values).url).toBe(
      'https://s.example/?e=rejected',
    );
    expect(renderDelivery({ ...format, postbackUrl: 'https://s.example/?e={status}', statusMap: { approved: 'sale' } }, values).url).toBe(
      'https://s.example/?e=declined',
    );
    expect(applyStatusWords({ status: null }, { approved: 'x' })).toEqual({ status: null });
  });
});

describe('renderDelivery', () => {
  it('fills the URL for GET, values URL-encoded, with no body', () => {
    const r = renderDelivery(format, values);
    expect(r).toEqual({
      method: 'GET',
      url: 'https://source.example/pb?clickid=ext%201%26x%3D2&payout=2.5&st=approved&cur=EUR&s3=',
      body: null,
      headers: { 'x-source-key': 'k1' },
    });
  });

  it('applies the payout share to URL and body alike, leaving the stored values as they were', () => {
    const r = renderDelivery({ ...format, method: 'POST', payoutShare: { type: 'percent', value: '50' } }, values);
    expect(new URL(r.url).searchParams.get('payout')).toBe('1.25');
    expect(JSON.parse(r.body!).payout).toBe('1.25');
    expect(values.payout).toBe('2.5');
  });

  it('sends POST as JSON with every value', () => {
    const r = renderDelivery({ ...format, method: 'POST' }, values);
    expect(r.headers).toEqual({ 'x-source-key': 'k1', 'content-type': 'application/json' });
    expect(JSON.parse(r.body!)).toEqual(values);
  });

  it('sends POST as a form when asked, missing values empty', () => {
    const r = renderDelivery({ ...format, method: 'POST', bodyFormat: 'form' }, values);
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded');
    const form = new URLSearchParams(r.body!);
    expect(form.get('external_id')).toBe('ext 1&x=2');
    expect(form.get('payout')).toBe('2.5');
    expect(form.get('sub3')).toBe('');
    expect([...form.keys()]).toHaveLength(Object.keys(values).length);
  });
});
