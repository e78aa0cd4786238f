/**
 * The first `maxLength` UTF-16 units of `text`, one fewer when the cut would split a surrogate
 * pair (an emoji, a rare CJK character). `String.prototype.slice` would leave half a pair: a lone
 * surrogate that `encodeURIComponent` throws on and PostgreSQL stores as U+FFFD.
 */
export function cutText(text: string, maxLength: number): string {
  if (text.length <= maxLength) return text;
  const last = text.charCodeAt(maxLength - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? maxLength - 1 : maxLength);
}
