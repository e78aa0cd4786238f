import type { TargetAnswer, TargetVerdict } from '@postwire/plugin-sdk';

/**
 * Reading TikTok Business API answers. The API answers HTTP 200 with a JSON envelope
 * `{ code, message, request_id, data }`: `code` 0 is success, anything else an error, so the
 * HTTP status alone says little. Codes read (TikTok's "Return codes" list of the Business API):
 * 40100 too many requests (rate limit), 40001 no permission, 40102/40104/40105 access token
 * expired / missing / invalid or revoked, 40002 and the other 4xxxx a request TikTok refuses,
 * 5xxxx a TikTok-side error.
 */

/** The request rate limit ("requests made too frequently"): try again later. */
const RATE_LIMITED = 40100;
/** The token or its permissions: the operator must act (a new token, the pixel's permissions). */
const AUTH_CODES: ReadonlySet<number> = new Set([40001, 40102, 40104, 40105]);

export function readTikTokAnswer(answer: TargetAnswer): TargetVerdict {
  if (answer.statusCode === null) return { kind: 'retry', reason: `no answer from the TikTok Events API (${answer.error ?? 'no response'})` };
  const envelope = parseEnvelope(answer.body);
  const retryAfter = retryAfterMs(answer.headers['retry-after']);
  if (answer.statusCode === 429)
    return { kind: 'retry', reason: `TikTok rate limit (HTTP 429${envelope ? `, ${describe(envelope)}` : ''})`, afterMs: retryAfter };
  if (answer.statusCode === 401 || answer.statusCode === 403) {
    return {
      kind: 'permanent',
      reason: `TikTok refused the access token (HTTP ${answer.statusCode}${envelope ? `, ${describe(envelope)}` : ''})`,
      alert: true,
    };
  }
  if (answer.statusCode >= 500) return { kind: 'retry', reason: `TikTok Events API error (HTTP ${answer.statusCode})` };
  if (!envelope) {
    // Not TikTok's envelope (a proxy page, a truncated body): nothing says it arrived.
    return answer.statusCode >= 200 && answer.statusCode < 300
      ? { kind: 'retry', reason: `unreadable answer from TikTok (HTTP ${answer.statusCode})` }
      : { kind: 'permanent', reason: `TikTok refused the request (HTTP ${answer.statusCode})` };
  }
  const { code } = envelope;
  if (code === 0) return { kind: 'delivered' };
  if (code === RATE_LIMITED) return { kind: 'retry', reason: `TikTok rate limit (${describe(envelope)})`, afterMs: retryAfter };
  if (AUTH_CODES.has(code)) return { kind: 'permanent', reason: `TikTok refused the access token (${describe(envelope)})`, alert: true };
  if (code >= 50000 && code < 60000) return { kind: 'retry', reason: `TikTok-side error (${describe(envelope)})` };
  return { kind: 'permanent', reason: `TikTok refused the event (${describe(envelope)})` };
}

interface Envelope {
  code: number;
  message: string;
  requestId: string | null;
}

function parseEnvelope(body: string | null): Envelope | null {
  if (!body) return null;
  try {
    const value = JSON.parse(body) as { code?: unknown; message?: unknown; request_id?: unknown } | null;
    if (!value || typeof value !== 'object' || typeof value.code !== 'number') return null;
    return {
      code: value.code,
      message: typeof value.message === 'string' ? value.message : '',
      requestId: typeof value.request_id === 'string' ? value.request_id : null,
    };
  } catch {
    return null;
  }
}

function describe(envelope: Envelope): string {
  const text = `code ${envelope.code}${envelope.message ? `: ${envelope.message}` : ''}${envelope.requestId ? ` (request ${envelope.requestId})` : ''}`;
  return text.slice(0, 300);
}

/** `Retry-After` in seconds or as an HTTP date. */
export function retryAfterMs(header: string | undefined, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}
