import type { SubParam } from '../click/macros';
import type { ClickVelocity, ConversionVelocity } from './velocity-counter';

/** What is known about a click when it is scored. */
export interface ClickFacts {
  ip?: string | null;
  userAgent?: string | null;
  subs: Readonly<Partial<Record<SubParam, string | null>>>;
  /** ISO 3166-1 alpha-2, from the click's IP; empty or absent when it could not be placed. */
  country?: string | null;
  /** Windowed click counts (Redis), when they were measured; without them the velocity signals do not run. */
  velocity?: ClickVelocity;
}

/** Clicks and conversions counted over a window (of a traffic source, or of one zone). */
export interface MeasuredRate {
  clicks: number;
  conversions: number;
}

/**
 * What is known about a conversion when it is scored: its click, and when each happened. The optional
 * fields are measured outside core before scoring (a lookup, the report rollups, Redis); a signal whose
 * input is absent does not run.
 */
export interface ConversionFacts {
  click: ClickFacts & { at: Date };
  at: Date;
  /** The buyer's country (ISO 3166-1 alpha-2): as the network sent it, or as its buyer IP places it. */
  country?: string | null;
  /** Conversion rates of the click's traffic source, and of its zone (the policy's `conversionRate.subParam`). */
  rates?: { source?: MeasuredRate; sub?: MeasuredRate & { param: SubParam; value: string } };
  /** Windowed conversion counts (Redis), when they were measured; without them the velocity and duplicate signals do not run. */
  velocity?: ConversionVelocity;
}
