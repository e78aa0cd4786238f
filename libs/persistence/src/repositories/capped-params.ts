/** Most bytes of raw parameters (as stored JSON) kept for a postback that booked nothing. */
export const UNBOOKED_PARAMS_BUDGET_BYTES = 2048;

/** Key added to capped parameters, saying how much was left out. */
export const TRUNCATED_KEY = '_postwire_truncated';

/**
 * The raw parameters of a postback, cut to a byte budget: whole parameters are kept in order while
 * they fit, the rest is replaced by one note of what was dropped. A postback naming an unknown click
 * (or refused) costs its sender nothing, so it may not make the log keep more than this; what it
 * needs for a later re-attribution is its parsed, bounded `canonical` fields, which are kept whole.
 */
export function capParams(params: Record<string, unknown>, budgetBytes = UNBOOKED_PARAMS_BUDGET_BYTES): Record<string, unknown> {
  if (Buffer.byteLength(JSON.stringify(params), 'utf8') <= budgetBytes) return params;
  // Room for the note itself, generously: its counts never take more than this.
  const noteRoom = TRUNCATED_KEY.length + 64;
  const kept: Record<string, unknown> = {};
  let used = 2;
  let dropped = 0;
  for (const [key, value] of Object.entries(params)) {
    const size = Buffer.byteLength(JSON.stringify({ [key]: value }), 'utf8') - 1;
    if (dropped === 0 && used + size + noteRoom <= budgetBytes) {
      kept[key] = value;
      used += size;
    } else dropped++;
  }
  kept[TRUNCATED_KEY] = `${dropped} of ${Object.keys(params).length} parameters left out`;
  return kept;
}
