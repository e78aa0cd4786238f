import type { ConversionStatus } from '@postwire/core';

/**
 * An outbound format: how one traffic source (push, pop, native ad network) wants to be told
 * about a conversion. Chosen by id when creating a traffic source.
 */
export interface TrafficSourcePreset {
  readonly id: string;
  readonly displayName: string;
  /** Postback URL template with Postwire macros (`{external_id}`, `{payout}`, `{status}` …). */
  readonly postbackUrlTemplate: string;
  /** How each Postwire status is written in this source's vocabulary for `{status}`. */
  readonly statusMap: Readonly<Record<ConversionStatus, string>>;
  /** The traffic source's own click-id macro to put in the campaign URL at the source, e.g. `{clickid}`. */
  readonly clickIdMacro: string;
  /** Where the format comes from. */
  readonly reference: string;
  /**
   * The per-account values of the template (its `YOUR_…` parts, filled from `presetValues` when a
   * traffic source is made from the preset): what each one is, and the characters the source allows
   * in it as a regular expression source matched against the whole value.
   */
  readonly values?: Readonly<Record<string, { description: string; pattern?: string }>>;
}

export function definePreset(preset: TrafficSourcePreset): TrafficSourcePreset {
  return preset;
}
