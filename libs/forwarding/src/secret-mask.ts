/**
 * Names that usually carry a credential (`key`, `api_key`, `token`, `sig`, `password`, `auth` …).
 * Matched anywhere in the name: masking a harmless parameter in a log costs nothing, showing a
 * postback key to everyone who can read the delivery log does.
 */
const SENSITIVE = /key|token|secret|sig|pass|pwd|auth|hash|session|cred/i;

export const MASK = '***';

export function isSensitiveName(name: string): boolean {
  return SENSITIVE.test(name);
}

/**
 * The URL as it may be shown and logged: the values of credential-like query parameters and any
 * password in the user-info become `***`. Everything else keeps its exact bytes (no re-encoding),
 * so the log still shows what was sent.
 */
export function maskUrl(url: string): string {
  const hashAt = url.indexOf('#');
  const fragment = hashAt === -1 ? '' : url.slice(hashAt);
  const beforeFragment = hashAt === -1 ? url : url.slice(0, hashAt);
  const queryAt = beforeFragment.indexOf('?');
  const base = (queryAt === -1 ? beforeFragment : beforeFragment.slice(0, queryAt)).replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):[^/?#@]*@/i, `$1:${MASK}@`);
  if (queryAt === -1) return base + fragment;
  const query = beforeFragment
    .slice(queryAt + 1)
    .split('&')
    .map((pair) => {
      const eq = pair.indexOf('=');
      if (eq === -1) return pair;
      const rawName = pair.slice(0, eq);
      return isSensitiveName(safeDecode(rawName)) ? `${rawName}=${MASK}` : pair;
    })
    .join('&');
  return `${base}?${query}${fragment}`;
}

/** Headers as they may be shown: credential-like ones (`Authorization`, `X-Api-Key` …) masked. */
export function maskHeaders(headers: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, isSensitiveName(name) ? MASK : value]));
}

/** A URL component decoded, or as it is when it is not valid percent-encoding. */
export function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
}
