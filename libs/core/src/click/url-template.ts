/** What {@link normaliseUrlTemplate} gives back. */
export type UrlTemplateCheck = { ok: true; url: string } | { ok: false; reason: string };

const MACRO = /\{[a-z0-9_]+\}/gi;
const SPLIT = /^([A-Za-z][A-Za-z0-9+.-]*):\/\/([^/?#]*)([\s\S]*)$/;

/** C0 controls (tab included), DEL and C1 controls: a URL never needs them, and CR/LF in a `Location` splits the response. */
function hasControl(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
  }
  return false;
}

function hasLoneSurrogate(text: string): boolean {
  return /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(text);
}

/** Percent-encodes (as UTF-8) every code point outside printable ASCII; everything else keeps its exact bytes. */
function encodeOutsideAscii(text: string): string {
  let out = '';
  for (const ch of text) {
    const c = ch.codePointAt(0)!;
    out += c > 0x20 && c < 0x7f ? ch : encodeURIComponent(ch);
  }
  return out;
}

/**
 * Checks and normalises a URL template (an offer URL or a postback URL with `{macro}`s) when it is
 * saved, so that what goes out later is always a valid ASCII URL (a `Location` header, a request
 * line):
 *
 * - it must be an absolute `http` or `https` URL;
 * - macros may not stand in the scheme, user-info, host or port: a clicker or a network must never
 *   choose where a visitor or a postback goes (an open redirect, an SSRF);
 * - control characters (CR/LF, NUL, tab …) and broken UTF-16 are refused;
 * - the host is converted to ASCII with IDNA (`пример.рф` → `xn--e1afmkfd.xn--p1ai`) and lower-cased
 *   by WHATWG URL parsing, and a default port is dropped;
 * - in the path, query and fragment every character outside printable ASCII (spaces, accents,
 *   emoji, U+202E …) is percent-encoded as UTF-8. Existing percent-escapes and macros are kept.
 *
 * Applying it twice gives the same URL.
 */
export function normaliseUrlTemplate(template: string): UrlTemplateCheck {
  if (hasControl(template)) return { ok: false, reason: 'must not contain control characters or line breaks' };
  if (hasLoneSurrogate(template)) return { ok: false, reason: 'is not valid UTF-8 (lone surrogate)' };
  const parts = SPLIT.exec(template.trim());
  if (!parts) return { ok: false, reason: 'must be an absolute http or https URL (macros like {click_id} allowed in the path and query)' };
  const [, scheme, authority, rest] = parts;
  if (scheme.toLowerCase() !== 'http' && scheme.toLowerCase() !== 'https') return { ok: false, reason: 'must be an http or https URL' };
  if (/[{}]/.test(authority))
    return { ok: false, reason: 'macros may not be used in the scheme, host or port; the destination is fixed when the URL is saved' };
  let origin: URL;
  try {
    origin = new URL(`${scheme.toLowerCase()}://${authority}/`);
  } catch {
    return { ok: false, reason: 'has an invalid host or port' };
  }
  if (origin.hostname === '') return { ok: false, reason: 'has no host' };
  const userInfo = origin.username ? `${origin.username}${origin.password ? `:${origin.password}` : ''}@` : '';
  const url = `${origin.protocol}//${userInfo}${origin.host}${encodeOutsideAscii(rest)}`;
  try {
    const parsed = new URL(url.replace(MACRO, 'x'));
    if (parsed.host !== origin.host) return { ok: false, reason: 'has an invalid host or port' };
  } catch {
    return { ok: false, reason: 'is not a valid URL' };
  }
  return { ok: true, url };
}
