import { describeSourceFailure, type SourceDeliveryStats, type SourceFailingReason } from '@postwire/core';
import type {
  CampaignConversionRate,
  NetworkActivity,
  PostbackLogDay,
  RefusedPostbacks,
  RefusedTargetCredentials,
  TroublePostbacks,
} from '@postwire/persistence';

/** One thing on the dashboard an operator should act on. */
/** Every kind of alert the dashboard shows; the API's response schema takes its enum from here. */
export const ALERT_KINDS = [
  'traffic_source_failing',
  'network_silent',
  'postbacks_rising',
  'postback_log_full',
  'conversion_rate_drop',
  'postbacks_refused',
  'target_credentials_refused',
] as const;
export type AlertKind = (typeof ALERT_KINDS)[number];

export interface Alert {
  kind: AlertKind;
  severity: 'error' | 'warning';
  /** The thing the alert is about (a traffic source or network id, or the outcome). */
  subjectId: string;
  subjectName: string;
  message: string;
  /** What to do about it, in plain words. */
  action: string;
  since: Date | null;
}

const HOUR_MS = 3_600_000;
const WEEK_MS = 7 * 24 * HOUR_MS;
/** Fewer postbacks than this in a week is too little to know what "usual" is. */
const MIN_BASELINE = 3;
/** Silence is alarming after this many usual gaps, and never sooner than an hour. */
const SILENT_GAPS = 3;
const MIN_SILENCE_MS = HOUR_MS;
/** Refused or unattributed postbacks are "rising" when the last day has at least this many ... */
const MIN_RISING = 5;
/** ... and more than this multiple of the previous week's daily average. */
const RISING_FACTOR = 2;

export function failingSourceAlert(source: {
  id: string;
  name: string;
  failing: boolean;
  failingReason: SourceFailingReason | null;
  health: SourceDeliveryStats;
  failingSince: Date | null;
  deadDeliveries: number;
}): Alert | undefined {
  if (!source.failing || !source.failingReason) return undefined;
  return {
    kind: 'traffic_source_failing',
    severity: 'error',
    subjectId: source.id,
    subjectName: source.name,
    message: `Deliveries to ${source.name} are failing: ${describeSourceFailure(source.failingReason, source.health)} (${source.deadDeliveries} dead in all).`,
    action: 'Check its postback URL with "Send test delivery", fix it, then replay the failed deliveries.',
    since: source.failingSince,
  };
}

export function silentNetworkAlert(network: { id: string; name: string }, activity: NetworkActivity | undefined, now: Date): Alert | undefined {
  if (!activity?.lastReceivedAt || activity.baselineCount < MIN_BASELINE) return undefined;
  const usualGapMs = WEEK_MS / activity.baselineCount;
  const silentMs = now.getTime() - new Date(activity.lastReceivedAt).getTime();
  if (silentMs <= Math.max(SILENT_GAPS * usualGapMs, MIN_SILENCE_MS)) return undefined;
  return {
    kind: 'network_silent',
    severity: 'warning',
    subjectId: network.id,
    subjectName: network.name,
    message: `${network.name} has sent nothing for ${hours(silentMs)}; it usually sends one every ${hours(usualGapMs)}.`,
    action: "Check the postback URL in the network's settings and its IP allowlist, then send a test postback.",
    since: activity.lastReceivedAt,
  };
}

export function risingPostbacksAlert(trouble: TroublePostbacks): Alert | undefined {
  if (trouble.lastDay < MIN_RISING || trouble.lastDay <= RISING_FACTOR * trouble.previousDailyAverage) return undefined;
  const what = trouble.outcome === 'unattributed' ? 'Unattributed' : 'Rejected';
  return {
    kind: 'postbacks_rising',
    severity: 'warning',
    subjectId: trouble.outcome,
    subjectName: what,
    message: `${what} postbacks are rising: ${trouble.lastDay} in the last 24 hours against ${trouble.previousDailyAverage.toFixed(1)} a day before.`,
    action:
      trouble.outcome === 'unattributed'
        ? 'Check that the campaign links pass {click_id} to the offer and that the network sends it back unchanged.'
        : 'Open Received postbacks, filter by "rejected" and read the reasons.',
    since: null,
  };
}

/** The postback log reached its cap for the day: rows that book nothing are being counted, not stored. */
export function postbackLogFullAlert(today: PostbackLogDay, capBytes: number): Alert | undefined {
  if (today.bytes < capBytes && today.dropped === 0) return undefined;
  const mb = (bytes: number) => `${Math.round(bytes / (1024 * 1024))} MB`;
  return {
    kind: 'postback_log_full',
    severity: 'warning',
    subjectId: today.day,
    subjectName: 'Postback log',
    message: `The postback log took ${mb(today.bytes)} today (UTC), its daily cap is ${mb(capBytes)}: ${today.dropped} unattributed, rejected, duplicate or ignored postbacks were counted but not stored.`,
    action:
      'Open Received postbacks to see who sends them; block the address or fix the sender. Raise POSTBACK_LOG_MAX_MB_PER_DAY only if this traffic is expected. Conversions are not affected.',
    since: null,
  };
}

/**
 * Any request refused on a network in the last hour: a network posting with a stale secret, from a new
 * address or with a parameter it should not send loses conversions until someone looks.
 */
export function refusedPostbacksAlert(network: { id: string; name: string }, refused: RefusedPostbacks | undefined): Alert | undefined {
  if (!refused || refused.count === 0) return undefined;
  const reasons = Object.entries(refused.byReason)
    .sort(([, a], [, b]) => b - a)
    .map(([reason, n]) => `${reason.replace(/_/g, ' ')} ${n}`)
    .join(', ');
  return {
    kind: 'postbacks_refused',
    severity: 'warning',
    subjectId: network.id,
    subjectName: network.name,
    message: `${refused.count} postback${refused.count === 1 ? '' : 's'} to ${network.name} refused in the last hour (${reasons}).`,
    action: `Open Received postbacks, filter by outcome "refused" and network ${network.name}, and read each reason: a new signing secret, API key or sender address usually explains it.`,
    since: refused.lastAt,
  };
}

function hours(ms: number): string {
  const h = ms / HOUR_MS;
  return h < 48 ? `${Math.round(h)} h` : `${Math.round(h / 24)} days`;
}

/** A campaign converts less than half as often today as usual: too few clicks on either side say nothing (no flapping). */
export const CR_DROP = {
  /** Clicks in the last 24 hours, and in the 7 days before, below which a campaign is not judged. */
  minClicks: 200,
  /** Today's rate must fall below this share of the usual rate. */
  factor: 0.5,
} as const;

export function conversionRateDropAlert(rate: CampaignConversionRate): Alert | undefined {
  if (rate.clicksToday < CR_DROP.minClicks || rate.clicksBefore < CR_DROP.minClicks || rate.conversionsBefore === 0) return undefined;
  const today = rate.conversionsToday / rate.clicksToday;
  const usual = rate.conversionsBefore / rate.clicksBefore;
  if (today >= usual * CR_DROP.factor) return undefined;
  const pct = (r: number) => `${(r * 100).toFixed(2)} %`;
  return {
    kind: 'conversion_rate_drop',
    severity: 'warning',
    subjectId: rate.campaignId,
    subjectName: rate.campaignName,
    message: `${rate.campaignName} converts ${pct(today)} of its clicks in the last 24 hours (${rate.conversionsToday} of ${rate.clicksToday}); it usually converts ${pct(usual)}.`,
    action: "Check the offer page and the network's postbacks (Received postbacks, filtered by its network), then the campaign's traffic.",
    since: null,
  };
}

/**
 * A forwarding target's platform refused its credentials (Meta, Google Ads or TikTok answered that the token is
 * revoked or lacks permission): those deliveries are dead, not retried, until the operator fixes the settings.
 */
export function refusedTargetCredentialsAlert(source: { id: string; name: string }, refused: RefusedTargetCredentials | undefined): Alert | undefined {
  if (!refused || refused.count === 0) return undefined;
  return {
    kind: 'target_credentials_refused',
    severity: 'error',
    subjectId: source.id,
    subjectName: source.name,
    message: `${refused.targetId} refused the credentials of ${source.name}: ${refused.count} ${refused.count === 1 ? 'delivery' : 'deliveries'} given up in the last 24 hours.`,
    action: "Renew the access token (or the OAuth refresh token) in the source's Forwarding target settings, then replay its dead deliveries.",
    since: refused.lastAt,
  };
}
