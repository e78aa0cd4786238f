/**
 * Warnings about URL templates that the server accepts but that are very likely mistakes. They do not
 * block saving: an operator may know better (a network that matches on its own sub id, a source that
 * only counts conversions), so the form shows them and still sends.
 */

/** The offer URL lacks {click_id}: the network never learns the click id, so its postbacks cannot be matched to clicks. */
export function offerUrlWarnings(url: string): string[] {
  if (!url.trim() || url.includes('{click_id}')) return [];
  return ['This URL has no {click_id}. The network will not receive your click id, so its postbacks cannot be matched to a click.'];
}

/**
 * The source postback URL lacks the macro that carries the source's own click id back to it (Postwire's
 * `{external_id}`: the id the source put in the campaign link), so the source cannot tell which click converted.
 */
export function sourcePostbackUrlWarnings(url: string, clickIdMacro = 'external_id'): string[] {
  if (!url.trim() || url.includes(`{${clickIdMacro}}`)) return [];
  return [`This URL has no {${clickIdMacro}}. The source will not get its own click id back, so it cannot tell which of its clicks converted.`];
}
