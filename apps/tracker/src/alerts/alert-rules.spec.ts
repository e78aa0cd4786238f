import {
  conversionRateDropAlert,
  failingSourceAlert,
  postbackLogFullAlert,
  refusedPostbacksAlert,
  refusedTargetCredentialsAlert,
  risingPostbacksAlert,
  silentNetworkAlert,
} from './alert-rules';
import { fillTestQuery } from '../networks';

const now = new Date('2026-03-10T12:00:00Z');
const hoursAgo = (h: number) => new Date(now.getTime() - h * 3_600_000);

describe('alert rules', () => {
  it('shows the postback log at its daily cap once it is reached or something was left out', () => {
    const mb = 1024 * 1024;
    expect(postbackLogFullAlert({ day: '2026-03-10', bytes: 10 * mb, stored: 100, dropped: 0 }, 64 * mb)).toBeUndefined();
    expect(postbackLogFullAlert({ day: '2026-03-10', bytes: 64 * mb, stored: 100, dropped: 0 }, 64 * mb)).toMatchObject({ kind: 'postback_log_full' });
    expect(postbackLogFullAlert({ day: '2026-03-10', bytes: 70 * mb, stored: 100, dropped: 3 }, 64 * mb)?.message).toContain('3 unattributed');
  });

  it('flags a source only once it is failing', () => {
    const health = { consecutiveFailures: 6, recentAttempts: 6, recentFailures: 6 };
    const base = { id: 's', name: 'Push', failingSince: hoursAgo(1), deadDeliveries: 4, health };
    expect(failingSourceAlert({ ...base, failing: false, failingReason: null })).toBeUndefined();
    const alert = failingSourceAlert({ ...base, failing: true, failingReason: 'consecutive_failures' });
    expect(alert).toMatchObject({ kind: 'traffic_source_failing', severity: 'error', subjectName: 'Push', since: hoursAgo(1) });
    expect(alert?.message).toContain('the last 6 delivery attempts failed');
  });

  it('calls a network silent after three usual gaps, and never on too little history', () => {
    const network = { id: 'n', name: 'Acme' };
    // 168 postbacks a week: one an hour; silent after 3 h.
    expect(silentNetworkAlert(network, { networkId: 'n', lastReceivedAt: hoursAgo(2), baselineCount: 168 }, now)).toBeUndefined();
    expect(silentNetworkAlert(network, { networkId: 'n', lastReceivedAt: hoursAgo(4), baselineCount: 168 }, now)?.message).toContain(
      'usually sends one every 1 h',
    );
    expect(silentNetworkAlert(network, { networkId: 'n', lastReceivedAt: hoursAgo(400), baselineCount: 2 }, now)).toBeUndefined();
    expect(silentNetworkAlert(network, { networkId: 'n', lastReceivedAt: null, baselineCount: 0 }, now)).toBeUndefined();
    // 7 a week: one a day; 2 days of silence is not yet 3 gaps.
    expect(silentNetworkAlert(network, { networkId: 'n', lastReceivedAt: hoursAgo(48), baselineCount: 7 }, now)).toBeUndefined();
    expect(silentNetworkAlert(network, { networkId: 'n', lastReceivedAt: hoursAgo(80), baselineCount: 7 }, now)).toBeDefined();
  });

  it('calls unattributed postbacks rising when the last day has more than twice the usual and at least five', () => {
    expect(risingPostbacksAlert({ outcome: 'unattributed', lastDay: 4, previousDailyAverage: 0 })).toBeUndefined();
    expect(risingPostbacksAlert({ outcome: 'unattributed', lastDay: 20, previousDailyAverage: 10 })).toBeUndefined();
    expect(risingPostbacksAlert({ outcome: 'rejected', lastDay: 21, previousDailyAverage: 10 })).toMatchObject({
      kind: 'postbacks_rising',
      subjectName: 'Rejected',
    });
  });
});

describe('conversion rate drop', () => {
  const campaign = { campaignId: 'c', campaignName: 'Summer' };

  it('fires when today converts under half the usual rate', () => {
    const alert = conversionRateDropAlert({ ...campaign, clicksToday: 1000, conversionsToday: 9, clicksBefore: 7000, conversionsBefore: 140 });
    expect(alert).toMatchObject({ kind: 'conversion_rate_drop', severity: 'warning', subjectId: 'c', subjectName: 'Summer' });
    expect(alert?.message).toContain('0.90 %');
    expect(alert?.message).toContain('2.00 %');
    expect(conversionRateDropAlert({ ...campaign, clicksToday: 1000, conversionsToday: 10, clicksBefore: 7000, conversionsBefore: 140 })).toBeUndefined();
  });

  it('stays quiet on small campaigns and without a usual rate', () => {
    expect(conversionRateDropAlert({ ...campaign, clicksToday: 199, conversionsToday: 0, clicksBefore: 7000, conversionsBefore: 140 })).toBeUndefined();
    expect(conversionRateDropAlert({ ...campaign, clicksToday: 1000, conversionsToday: 0, clicksBefore: 150, conversionsBefore: 10 })).toBeUndefined();
    expect(conversionRateDropAlert({ ...campaign, clicksToday: 1000, conversionsToday: 0, clicksBefore: 7000, conversionsBefore: 0 })).toBeUndefined();
  });
});

describe('test postback query', () => {
  it("fills click id, payout and txid under the adapter's own names and leaves other macros out", () => {
    const template = new URLSearchParams('transaction_id={transaction_id}&sub1={sub1}&sub2={sub2}&payout={payout}&event_name={event_name}&fixed=yes');
    const query = fillTestQuery(template, { clickId: 'c1', payout: '2', txid: 't1' }, 'sub1');
    expect(Object.fromEntries(query)).toEqual({ transaction_id: 't1', sub1: 'c1', payout: '2', fixed: 'yes' });
    const generic = fillTestQuery(new URLSearchParams('click_id={click_id}&payout={payout}&txid={txid}&goal={goal}'), {
      clickId: 'c2',
      payout: '1',
      txid: 't',
    });
    expect(Object.fromEntries(generic)).toEqual({ click_id: 'c2', payout: '1', txid: 't' });
  });
});

describe('refusedPostbacksAlert', () => {
  const network = { id: 'n1', name: 'Digistore24' };
  it('warns of any refusal on a network in the last hour, naming the reasons, most frequent first', () => {
    const lastAt = new Date('2026-05-01T10:00:00Z');
    expect(refusedPostbacksAlert(network, { networkId: 'n1', count: 4, lastAt, byReason: { ip_refused: 1, bad_signature: 3 } })).toMatchObject({
      kind: 'postbacks_refused',
      severity: 'warning',
      subjectId: 'n1',
      message: '4 postbacks to Digistore24 refused in the last hour (bad signature 3, ip refused 1).',
      since: lastAt,
    });
  });

  it('is silent without refusals', () => {
    expect(refusedPostbacksAlert(network, undefined)).toBeUndefined();
    expect(refusedPostbacksAlert(network, { networkId: 'n1', count: 0, lastAt: new Date(), byReason: {} })).toBeUndefined();
  });
});

describe('refusedTargetCredentialsAlert', () => {
  const source = { id: 'ts-1', name: 'Meta buyers' };
  it('is an error naming the target, the source and the count when a platform refused the credentials', () => {
    const lastAt = new Date('2026-03-10T11:00:00Z');
    const alert = refusedTargetCredentialsAlert(source, { trafficSourceId: 'ts-1', targetId: 'meta-capi', count: 3, lastAt });
    expect(alert).toMatchObject({ kind: 'target_credentials_refused', severity: 'error', subjectId: 'ts-1', since: lastAt });
    expect(alert?.message).toBe('meta-capi refused the credentials of Meta buyers: 3 deliveries given up in the last 24 hours.');
  });
  it('is silent when nothing was refused', () => {
    expect(refusedTargetCredentialsAlert(source, undefined)).toBeUndefined();
    expect(refusedTargetCredentialsAlert(source, { trafficSourceId: 'ts-1', targetId: 'meta-capi', count: 0, lastAt: new Date() })).toBeUndefined();
  });
});
