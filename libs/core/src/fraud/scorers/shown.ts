/** A user agent as a signal's value shows it: cut to 120 characters. */
export function shorten(text: string): string {
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/** Seconds to one decimal, as a CTIT is shown. */
export function formatSeconds(seconds: number): string {
  return (Math.round(seconds * 10) / 10).toString();
}
