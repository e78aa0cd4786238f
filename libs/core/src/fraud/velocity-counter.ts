import type { SubParam } from '../click/macros';

/**
 * A click's windowed counts, measured in the click writer's batch (this click included): clicks in
 * the last 60 s from its IP, from its IP with its user agent, and carrying each counted sub id value.
 * A count that was not measured (signal off, no IP, Redis unavailable) is absent, and so is its signal.
 */
export interface ClickVelocity {
  ip?: number;
  ipUserAgent?: number;
  subs?: Partial<Record<SubParam, number>>;
}

/**
 * A conversion's windowed counts, measured before its batch is scored (this conversion included):
 * conversions from its click's IP in the last hour, and different clicks converting from that IP and
 * from that device (IP + user agent) in the last 24 hours.
 */
export interface ConversionVelocity {
  ipConversions?: number;
  ipConvertingClicks?: number;
  deviceConvertingClicks?: number;
}

/** One click of a batch, as the counter needs it. */
export interface ClickToCount {
  id: string;
  campaignId: string;
  ip?: string | null;
  userAgent?: string | null;
  subs: Readonly<Partial<Record<SubParam, string | null>>>;
  /** What to count, from the click's policy: a signal that is off is not counted either. */
  count: { ip: boolean; ipUserAgent: boolean; subParams: readonly SubParam[] };
}

/** One new conversion of a batch, as the counter needs it. */
export interface ConversionToCount {
  /** The conversion's id: the key of the answer. */
  id: string;
  /**
   * What makes it one conversion whatever its id (its click, goal and txid): counting is idempotent,
   * so a batch tried again, or a repeated postback, is not counted twice.
   */
  identity: string;
  clickId: string;
  ip?: string | null;
  userAgent?: string | null;
}

/**
 * Counts clicks and conversions in sliding windows shared by every tracker (Redis in the app). A
 * port: the scorer stays pure and synchronous, and the counts come in through the facts. Each call
 * is one round trip for the whole batch, bounded in time; `undefined` means the counts are not
 * available (Redis down or slow), and the velocity signals are then absent, never guessed.
 */
export interface VelocityCounter {
  /** Counts the batch's clicks and answers each click's counts by click id. */
  countClicks(clicks: readonly ClickToCount[], at: Date): Promise<ReadonlyMap<string, ClickVelocity> | undefined>;
  /** Counts the batch's new conversions and answers each one's counts by conversion id. */
  countConversions(conversions: readonly ConversionToCount[], at: Date): Promise<ReadonlyMap<string, ConversionVelocity> | undefined>;
}
