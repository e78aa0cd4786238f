import type { DecimalAmount, ForwardingFilter, ForwardingFormat, SourceDeliveryStats, SourceFailingReason, TrackingToken } from '@postwire/core';

/** What every catalog item has for its lifecycle (docs/lifecycle.md). */
export interface LifecycleMarks {
  /** Bumped by every change; a PATCH must name the version it was made from. */
  version: number;
  tags: string[];
  archivedAt: Date | null;
}

export interface Network extends LifecycleMarks {
  id: string;
  name: string;
  slug: string;
  adapter: string;
  adapterConfig: Record<string, unknown>;
  defaultCurrency: string;
  attributionWindowDays: number;
  /** Fraud guards applied to this network's postbacks (`{}` = none). */
  guards: NetworkGuards;
  /** Names of the adapter settings held sealed in `adapter_secrets` (their values are never loaded with the network). */
  secretFields: string[];
  /** While set, deliveries of this network's conversions wait; its postbacks are still taken. */
  pausedAt: Date | null;
  createdAt: Date;
}

export interface NetworkGuards {
  /** Canonical CIDRs (`203.0.113.0/24`); absent or empty = any address. */
  ipAllowlist?: string[];
  requireApiKey?: boolean;
  requireSignature?: boolean;
}

export interface Offer extends LifecycleMarks {
  id: string;
  name: string;
  networkId: string;
  url: string;
  payout: DecimalAmount | null;
  /** While set, clicks on the offer's campaigns are handled as clicks on paused campaigns; its postbacks are still taken. */
  pausedAt: Date | null;
  createdAt: Date;
}

export interface TrafficSource extends TrafficSourceSettings, LifecycleMarks {
  id: string;
  name: string;
  /** While set, deliveries to this source wait (pending) and go out on resume. */
  pausedAt: Date | null;
  /** Active signing secrets; requests are signed when there is at least one. */
  signingSecrets: number;
  /** When deliveries to this source started failing without a success since; null while they succeed. */
  failingSince: Date | null;
  /** Failing by the source health rules (`sourceFailingReason` in libs/core): N failed attempts in a row, or a failure ratio over 15 minutes. */
  failing: boolean;
  failingReason: SourceFailingReason | null;
  /** What the delivery path keeps for the health rules. */
  health: SourceDeliveryStats;
  deadDeliveries: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Everything an admin sets on a traffic source about forwarding; see docs/forwarding.md. */
export interface TrafficSourceSettings extends ForwardingFilter, ForwardingFormat {
  /** The preset (outbound format plugin) the source was made from, if any. */
  preset: string | null;
  /** Per-attempt deadline; null: FORWARD_TIMEOUT_MS. */
  timeoutMs: number | null;
  /** Delay before each attempt; null: FORWARD_RETRY_SCHEDULE. */
  retryScheduleMs: number[] | null;
  /** What the source fills into the campaign link, each token mapped to a Postwire parameter. */
  tokens: TrackingToken[];
}

export interface Campaign extends LifecycleMarks {
  id: string;
  name: string;
  trafficSourceId: string;
  offerId: string;
  externalIdParam: string;
  /** How the campaign's traffic is priced (docs/reports.md). */
  costModel: CostModel;
  /** Per click (cpc) or conversion (cpa) in the report currency, or a percentage of payout (revshare); null for none/auto. */
  costValue: string | null;
  /** The click URL parameter that carries each click's cost for `auto`. */
  costParam: string;
  /** While set, clicks redirect to `pausedUrl` (else PAUSED_CAMPAIGN_URL) and are counted apart. */
  pausedAt: Date | null;
  /** Where a click goes while the campaign is paused or archived; null: the install's PAUSED_CAMPAIGN_URL. */
  pausedUrl: string | null;
  /** Clicks that came while the campaign was paused or archived: stored, but not in its report traffic. */
  pausedClicks: number;
  /** When the campaign's offer was paused (its clicks are then handled as this campaign's paused clicks); null while it is not. */
  offerPausedAt: Date | null;
  createdAt: Date;
}

export const COST_MODELS = ['none', 'cpc', 'cpa', 'revshare', 'auto'] as const;
export type CostModel = (typeof COST_MODELS)[number];

export interface CampaignCostSettings {
  costModel?: CostModel;
  costValue?: string | null;
  costParam?: string;
}
