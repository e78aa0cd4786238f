import { SUB_PARAMS, type SubParam } from '../click/macros';

/**
 * The fixed windows the velocity and duplicate signals count in. Fixed, not per policy: every campaign
 * reads the same Redis counters (an address that floods one campaign is the same address in the next),
 * and only the thresholds differ. The names of the policy fields carry the window (`…PerMinute`).
 */
export const VELOCITY_WINDOWS = {
  /** Clicks per IP, per IP + user agent, per sub id value. */
  clicksSeconds: 60,
  /** Conversions per IP. */
  conversionsSeconds: 3600,
  /** Converting clicks per IP and per device (duplicates). */
  duplicatesSeconds: 86_400,
} as const;

/**
 * Velocity thresholds (`velocity` in a policy): the most events allowed in the window; one more fires
 * the signal. `null` turns that signal off (and, for sub ids, stops counting them).
 */
export interface VelocityPolicy {
  /** Clicks from one IP address in 60 s (Voluum's 60 events a minute). */
  ipClicksPerMinute: number | null;
  /** Clicks from one IP address with one user agent (one device) in 60 s. */
  ipUaClicksPerMinute: number | null;
  /** Clicks carrying one value of one sub id (a zone, a placement) of this campaign in 60 s; off by default (depends on the source's volume). */
  subClicksPerMinute: number | null;
  /** Which sub ids `subClicksPerMinute` counts (each counted value costs Redis memory: leave out sub ids carrying per-click ids). */
  subParams: SubParam[];
  /** Conversions from one IP address in an hour. */
  ipConversionsPerHour: number | null;
}

/** Duplicate thresholds (`duplicates` in a policy): conversions of different clicks from one IP or one device in 24 h. */
export interface DuplicatePolicy {
  /** Different clicks converting from one IP address in 24 h. */
  ipConversionsPerDay: number | null;
  /** Different clicks converting from one device (IP + user agent) in 24 h. */
  deviceConversionsPerDay: number | null;
}

export const DEFAULT_VELOCITY_POLICY: Readonly<VelocityPolicy> = {
  ipClicksPerMinute: 60,
  ipUaClicksPerMinute: 30,
  subClicksPerMinute: null,
  subParams: [...SUB_PARAMS],
  ipConversionsPerHour: 10,
};

export const DEFAULT_DUPLICATE_POLICY: Readonly<DuplicatePolicy> = {
  ipConversionsPerDay: 3,
  deviceConversionsPerDay: 1,
};

/** The highest threshold a policy may set: beyond it a window's count says nothing. */
export const VELOCITY_THRESHOLD_MAX = 1_000_000;

/** A policy's velocity group (possibly partial, as stored) over the defaults. */
export function velocitySettings(group: Partial<VelocityPolicy> | undefined): VelocityPolicy {
  return { ...DEFAULT_VELOCITY_POLICY, ...(group ?? {}) };
}

/** A policy's duplicates group (possibly partial, as stored) over the defaults. */
export function duplicateSettings(group: Partial<DuplicatePolicy> | undefined): DuplicatePolicy {
  return { ...DEFAULT_DUPLICATE_POLICY, ...(group ?? {}) };
}

/** `60 s`, `1 h`, `24 h`: a window as the trace shows it. */
export function windowLabel(seconds: number): string {
  return seconds % 3600 === 0 ? `${seconds / 3600} h` : `${seconds} s`;
}
