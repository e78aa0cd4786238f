import type { ClickContext } from './click-context';
import { planBatch, type PlannedPostback, type StoredConversionState } from './batch-plan';
import type { InboundConversion } from './inbound-conversion';

const ctx = (clickId: string): ClickContext =>
  ({
    clickId,
    goal: '',
    clickAt: new Date('2026-11-01T00:00:00Z'),
    campaignId: 'camp',
    offerId: 'offer',
    offerPayout: '2',
    networkId: 'net',
    defaultCurrency: 'USD',
    windowDays: 30,
    manyPerClick: null,
    externalId: 'ext',
    subs: {},
    source: {
      id: 'src',
      enabled: true,
      goals: null,
      statuses: null,
      forwardPixel: false,
      postbackUrl: 'https://s.example/?s={status}',
      method: 'GET',
      bodyFormat: 'json',
      headers: {},
      payoutShare: null,
      statusMap: null,
    },
  }) as unknown as ClickContext;

let slot = 0;
const pb = (clickId: string, extra: Partial<InboundConversion> = {}): PlannedPostback => ({
  slot: slot++,
  postbackId: `pb-${slot}`,
  input: { channel: 's2s', clickId, params: {}, receivedAt: new Date('2026-11-02T00:00:00Z'), ...extra },
  ctx: ctx(clickId),
  goal: extra.goal ?? '',
  many: false,
});

const ids = () => {
  let n = 0;
  return () => `new-${++n}`;
};

describe('planBatch', () => {
  it('creates a conversion once and answers its twins in the same batch as duplicates', () => {
    const plan = planBatch([pb('c1', { txid: 't1' }), pb('c1', { txid: 't1' }), pb('c1')], [], ids());
    expect([...plan.results.values()].map((r) => r.outcome)).toEqual(['accepted', 'duplicate', 'duplicate']);
    expect(plan.conversions).toHaveLength(1);
    expect(plan.conversions[0]).toMatchObject({ id: 'new-1', created: true, revision: 1, singleKey: '' });
    expect(plan.deliveries).toHaveLength(1);
    expect(plan.log.map((l) => l.conversionId)).toEqual(['new-1', 'new-1', 'new-1']);
  });

  it('finds a stored conversion by txid after an earlier postback of the batch gave it that txid', () => {
    const stored: StoredConversionState = {
      id: 'old',
      clickId: 'c2',
      networkId: 'net',
      singleKey: '',
      goal: '',
      txid: null,
      status: 'pending',
      payout: '2',
      revenue: null,
      currency: 'USD',
      source: 's2s',
      pixelSeen: false,
      revision: 1,
    };
    const plan = planBatch([pb('c2', { txid: 'late-txid', status: 'approved' }), pb('c2', { txid: 'late-txid', status: 'approved' })], [stored], ids());
    expect([...plan.results.values()].map((r) => [r.outcome, r.conversionId])).toEqual([
      ['updated', 'old'],
      ['duplicate', 'old'],
    ]);
    expect(plan.conversions).toEqual([
      expect.objectContaining({ id: 'old', created: false, revision: 2, next: expect.objectContaining({ txid: 'late-txid', status: 'approved' }) }),
    ]);
    // The caller's rows are left as they were read.
    expect(stored).toMatchObject({ txid: null, status: 'pending', revision: 1 });
  });

  it('keeps every step of a conversion changed several times in one batch: history and one delivery per forwarded revision', () => {
    const plan = planBatch(
      [pb('c3', { txid: 't3', status: 'pending' }), pb('c3', { txid: 't3', status: 'approved' }), pb('c3', { txid: 't3', status: 'refunded' })],
      [],
      ids(),
    );
    expect(plan.conversions).toHaveLength(1);
    expect(plan.conversions[0]).toMatchObject({ created: true, revision: 3, next: expect.objectContaining({ status: 'refunded' }) });
    expect(plan.history.map((h) => [h.change.from, h.change.to])).toEqual([
      [null, 'pending'],
      ['pending', 'approved'],
      ['approved', 'refunded'],
    ]);
    expect(plan.deliveries.map((d) => [d.revision, d.url])).toEqual([
      [1, 'https://s.example/?s=pending'],
      [2, 'https://s.example/?s=approved'],
      [3, 'https://s.example/?s=refunded'],
    ]);
  });

  it("rejects a txid that belongs to another click's conversion, and echoes nothing of it", () => {
    const plan = planBatch([pb('c4', { txid: 'shared' }), pb('c5', { txid: 'shared' })], [], ids());
    expect([...plan.results.values()].map((r) => [r.outcome, r.reason, r.conversionId])).toEqual([
      ['accepted', undefined, 'new-1'],
      ['rejected', 'txid_conflict', undefined],
    ]);
    expect(plan.conversions).toHaveLength(1);
  });
});
