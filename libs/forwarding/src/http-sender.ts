import { Agent, request, type Dispatcher } from 'undici';
import { parseRetryAfter } from './retry-policy';

export interface SendRequest {
  method: 'GET' | 'POST';
  url: string;
  body: string | null;
  headers: Record<string, string>;
  /** Deadline of this request; the sender's default when absent. */
  timeoutMs?: number;
  /** How much of the answer to read (default 1 KB, the log's snippet); a target reads more to judge it. */
  maxAnswerBytes?: number;
}

export interface SendResult {
  statusCode: number | null;
  latencyMs: number;
  /** First 1 KB of the response body, for the delivery log. */
  responseSnippet: string | null;
  error: string | null;
  retryAfterMs?: number;
  permanent?: boolean;
  /** The answer's headers (lower-case names, first value), when one came. */
  headers?: Record<string, string>;
  /** The answer's body up to `maxAnswerBytes`, when more than the snippet was asked for. */
  answer?: string;
}

const SNIPPET_BYTES = 1024;

/**
 * Sends one postback. Redirects are not followed (undici's `request` never follows them), so a 3xx
 * is a failure the log shows; the whole exchange has a deadline, and only the first kilobyte of
 * the answer is read.
 */
export class HttpSender {
  private readonly dispatcher: Dispatcher;

  constructor(options: { timeoutMs: number; dispatcher?: Dispatcher }) {
    this.timeoutMs = options.timeoutMs;
    this.dispatcher = options.dispatcher ?? new Agent({ connectTimeout: options.timeoutMs });
  }

  private readonly timeoutMs: number;

  async send(req: SendRequest): Promise<SendResult> {
    const started = performance.now();
    const timeoutMs = req.timeoutMs ?? this.timeoutMs;
    const signal = AbortSignal.timeout(timeoutMs);
    try {
      const res = await request(req.url, {
        method: req.method,
        headers: req.headers,
        body: req.body ?? undefined,
        dispatcher: this.dispatcher,
        signal,
      });
      const maxBytes = Math.max(req.maxAnswerBytes ?? SNIPPET_BYTES, SNIPPET_BYTES);
      const answer = await readSnippet(res.body, maxBytes);
      const retryAfter = res.headers['retry-after'];
      const headers: Record<string, string> = {};
      for (const [name, value] of Object.entries(res.headers)) if (value !== undefined) headers[name] = Array.isArray(value) ? value[0] : value;
      return {
        statusCode: res.statusCode,
        latencyMs: Math.round(performance.now() - started),
        responseSnippet: cutUtf8(answer, SNIPPET_BYTES),
        headers,
        ...(maxBytes > SNIPPET_BYTES ? { answer } : {}),
        error: res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}`,
        retryAfterMs: parseRetryAfter(Array.isArray(retryAfter) ? retryAfter[0] : retryAfter),
      };
    } catch (error) {
      const e = error as Error & { code?: string; cause?: { code?: string; message?: string } };
      const code = e.code ?? e.cause?.code;
      const message = signal.aborted ? `timeout after ${timeoutMs} ms` : `${code ?? e.name}: ${e.cause?.message ?? e.message}`;
      return {
        statusCode: null,
        latencyMs: Math.round(performance.now() - started),
        responseSnippet: null,
        error: message.slice(0, 500),
        permanent: code === 'EADDRNOTALLOWED',
      };
    }
  }

  async close(): Promise<void> {
    await this.dispatcher.close();
  }
}

async function readSnippet(body: AsyncIterable<Buffer> & { destroy?: () => void }, maxBytes: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of body) {
    chunks.push(chunk);
    size += chunk.length;
    if (size >= maxBytes) break;
  }
  body.destroy?.();
  return Buffer.concat(chunks).subarray(0, maxBytes).toString('utf8');
}

/** The first `maxBytes` of a string's UTF-8 (what the log keeps of a longer answer). */
function cutUtf8(text: string, maxBytes: number): string {
  const bytes = Buffer.from(text, 'utf8');
  return bytes.length <= maxBytes ? text : bytes.subarray(0, maxBytes).toString('utf8');
}
