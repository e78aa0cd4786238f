import type { ConversionStatus, TrackingToken } from '@postwire/core';

/**
 * An outbound format: how one traffic source (push, pop, native ad network) wants to be told
 * about a conversion. Chosen by id when creating a traffic source.
 */
export interface TrafficSourcePreset {
  readonly id: string;
  readonly displayName: string;
  /**
   * Postback URL template with Postwire macros (`{external_id}`, `{payout}`, `{status}` …). Absent
   * for a source that documents no postback URL (ad platforms that take conversions through their
   * own API): a traffic source made from such a preset is given its `postbackUrl` by the admin.
   */
  readonly postbackUrlTemplate?: string;
  /** How each Postwire status is written in this source's vocabulary for `{status}`. */
  readonly statusMap: Readonly<Record<ConversionStatus, string>>;
  /** The traffic source's own click-id macro to put in the campaign URL at the source, e.g. `{clickid}`. */
  readonly clickIdMacro: string;
  /** Where the format comes from. */
  readonly reference: string;
  /**
   * The values the source fills into the campaign link at click time, each mapped to a Postwire
   * parameter (click id, cost, or a `subN` with a label such as "zone"); copied to a traffic source
   * made from the preset. The click-id token's macro is {@link clickIdMacro}.
   */
  readonly tokens?: readonly TrackingToken[];
  /** Where the tokens' macros are documented, when not on the {@link reference} page. */
  readonly tokensReference?: string;
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
