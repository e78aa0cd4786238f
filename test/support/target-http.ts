import type { EventMappingRule, TargetAnswer, TargetContext, TargetRequest } from '@postwire/plugin-sdk';
import { request } from 'undici';

const ANSWER_BYTES = 64 * 1024;

/**
 * Sends a forwarding target's request for real (undici, as the delivery runtime does) and gives
 * the answer in the SDK's shape: status, lower-case headers, the first 64 KB of the body, or the
 * transport error. For the target plugins' integration specs against local fake platforms.
 */
export async function sendTargetRequest(req: TargetRequest, timeoutMs = 5000): Promise<TargetAnswer> {
  try {
    const res = await request(req.url, { method: req.method, headers: req.headers, body: req.body ?? undefined, signal: AbortSignal.timeout(timeoutMs) });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of res.body) {
      chunks.push(chunk as Buffer);
      size += (chunk as Buffer).length;
      if (size >= ANSWER_BYTES) break;
    }
    res.body.destroy();
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    return { statusCode: res.statusCode, headers, body: Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8'), error: null };
  } catch (error) {
    const e = error as Error & { code?: string; cause?: { code?: string } };
    return { statusCode: null, headers: {}, body: null, error: `${e.code ?? e.cause?.code ?? e.name}: ${e.message}` };
  }
}

/** A target context whose side calls are real HTTP and whose cache is an in-memory map with expiry. */
export function targetContext(options: { now?: Date; mapping?: readonly EventMappingRule[] } = {}): TargetContext & { sideCalls: TargetRequest[] } {
  const entries = new Map<string, { value: string; until: number }>();
  const sideCalls: TargetRequest[] = [];
  return {
    now: options.now ?? new Date(),
    mapping: options.mapping ?? [],
    sideCalls,
    http: (req) => {
      sideCalls.push(req);
      return sendTargetRequest(req);
    },
    cache: {
      get: (key) => {
        const entry = entries.get(key);
        return entry && entry.until > Date.now() ? entry.value : undefined;
      },
      set: (key, value, ttlMs) => void entries.set(key, { value, until: Date.now() + ttlMs }),
    },
  };
}
