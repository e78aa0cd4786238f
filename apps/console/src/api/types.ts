/** Shapes of the admin API's answers, as the console uses them. */
export type Role = 'admin' | 'manager' | 'client';

export interface SessionUser {
  id: string;
  email: string;
  role: Role;
  campaignIds: string[];
  hideProfit: boolean;
  timeZone: string;
}
export interface Session {
  user: SessionUser;
  csrfToken: string;
}
export interface User extends SessionUser {
  createdAt: string;
  updatedAt: string;
}

export type ConfigField = {
  type: 'string' | 'number' | 'boolean' | 'enum';
  description?: string;
  default?: unknown;
  secret?: boolean;
  required?: boolean;
  values?: string[];
  options?: string[];
};
export interface AdapterInfo {
  id: string;
  displayName: string;
  methods: string[];
  configSchema: Record<string, ConfigField>;
  postbackUrlTemplate: string;
}
export interface PresetInfo {
  id: string;
  displayName?: string;
  name?: string;
  postbackUrlTemplate: string;
  clickIdMacro?: string;
}
export interface Plugins {
  adapters: AdapterInfo[];
  presets: PresetInfo[];
}

export interface Network {
  id: string;
  name: string;
  slug: string;
  adapter: string;
  adapterConfig: Record<string, unknown>;
  defaultCurrency: string;
  guards: { ipAllowlist?: string[]; requireApiKey?: boolean; requireSignature?: boolean };
  createdAt: string;
}
export interface Offer {
  id: string;
  name: string;
  networkId: string;
  url: string;
  payout: string | null;
  createdAt: string;
}
export interface TrafficSource {
  id: string;
  name: string;
  postbackUrl: string;
  method: 'GET' | 'POST';
  enabled: boolean;
  preset: string | null;
  failing: boolean;
  failingSince: string | null;
  deadDeliveries: number;
  signingSecrets: number;
  createdAt: string;
}
export interface Campaign {
  id: string;
  name: string;
  trafficSourceId: string;
  offerId: string;
  externalIdParam: string;
  clickUrl: string;
  costModel?: string;
  costValue?: string | null;
  createdAt: string;
}
export interface Conversion {
  id: string;
  clickId: string;
  campaignId: string;
  networkId: string;
  goal: string;
  txid: string | null;
  status: string;
  payout: string | null;
  revenue: string | null;
  currency: string;
  source: 'pixel' | 's2s';
  createdAt: string;
}
export interface PostbackEntry {
  id: string;
  receivedAt: string;
  channel: string;
  networkId: string | null;
  clickId: string | null;
  params: Record<string, unknown>;
  ip: string | null;
  outcome: string;
  reason: string | null;
  conversionId: string | null;
}
export interface DeliveryAttempt {
  id: number;
  attemptedAt: string;
  url: string;
  statusCode: number | null;
  latencyMs: number;
  responseSnippet: string | null;
  error: string | null;
}
export interface Delivery {
  id: string;
  conversionId: string;
  trafficSourceId: string;
  event: string;
  method: string;
  url: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  lastStatusCode: number | null;
  lastError: string | null;
  createdAt: string;
  deliveredAt: string | null;
}
export interface Trace {
  conversion: Conversion;
  click: {
    id: string;
    campaignId: string;
    externalId?: string;
    subs: Record<string, string>;
    ip?: string;
    userAgent?: string;
    createdAt: string;
    [k: string]: unknown;
  } | null;
  campaign: { id: string; name: string } | null;
  network: { id: string; name: string; adapter: string } | null;
  postbacks: Array<PostbackEntry & { adapter: string | null; guardVerdict: string }>;
  history: Array<{ from: string | null; to: string; channel: string; changedAt: string; payoutBefore: string | null; payoutAfter: string | null }>;
  deliveries: Array<Delivery & { trafficSourceName: string | null; attempts: DeliveryAttempt[] }>;
  timeline: Array<{ at: string; kind: 'click' | 'postback' | 'status' | 'delivery_attempt'; summary: string; ref: string | number | null }>;
}
export interface Alert {
  kind: string;
  severity: 'error' | 'warning';
  subjectId: string;
  subjectName: string;
  message: string;
  action: string;
  since: string | null;
}
export interface ApiKey {
  id: string;
  scope: 'admin' | 'read';
  label: string | null;
  createdAt: string;
  /** Who made it; null when unknown (older keys, the ADMIN_API_KEY key). */
  createdBy: { id: string | null; email: string } | null;
  revokedAt: string | null;
  expiresAt: string | null;
  key?: string;
}
/** One of the signed-in user's own sessions. */
export interface OwnSession {
  id: string;
  createdAt: string;
  expiresAt: string;
  userAgent: string | null;
  current: boolean;
}
export type StatsRow = Record<string, string | number | null>;
export interface StatsReport {
  rows: StatsRow[];
  totals?: StatsRow;
  currency?: string;
  nextCursor?: string | null;
  [k: string]: unknown;
}
