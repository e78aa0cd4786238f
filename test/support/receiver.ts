import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { waitUntil } from './wait-until';

export interface ReceivedRequest {
  method: string;
  url: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
  /** Wall clock (ms), to compare with the tracker's timestamps. */
  at: number;
  /** Monotonic clock (ms), for rates. */
  atMono: number;
}

export type Responder = (req: ReceivedRequest, index: number) => { status: number; body?: string; headers?: Record<string, string>; delayMs?: number };

export interface ReceiverOptions {
  /**
   * Keep every request in `requests` (the default, for tests). A benchmark sending many thousands
   * turns it off and reads `count` and `firstByTxid` instead.
   */
  keepRequests?: boolean;
}

/**
 * A real HTTP server playing the traffic source, for the tests and the benchmarks: it records
 * every postback Postwire forwards and answers as told (status, delay), so retries and failures
 * are real.
 */
export class Receiver {
  readonly requests: ReceivedRequest[] = [];
  /** Requests received since start or {@link reset}, kept or not. */
  count = 0;
  /** The first arrival of each `txid` query value (a repeat shows only in {@link count}). */
  readonly firstByTxid = new Map<string, ReceivedRequest>();
  /** How often each `Idempotency-Key` arrived (the delivery id): a value above 1 is a delivery made twice. */
  readonly idempotencyKeys = new Map<string, number>();
  private responder: Responder = () => ({ status: 200, body: 'ok' });

  private constructor(
    private readonly server: Server,
    private readonly keepRequests: boolean,
  ) {}

  static async start(options: ReceiverOptions = {}): Promise<Receiver> {
    const holder: { self?: Receiver } = {};
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const url = new URL(req.url ?? '/', 'http://receiver');
        const received: ReceivedRequest = {
          method: req.method ?? 'GET',
          url: req.url ?? '/',
          query: url.searchParams,
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
          at: Date.now(),
          atMono: performance.now(),
        };
        const answer = holder.self!.note(received);
        const send = () => {
          res.writeHead(answer.status, { 'content-type': 'text/plain', ...(answer.headers ?? {}) });
          res.end(answer.body ?? '');
        };
        if (answer.delayMs) setTimeout(send, answer.delayMs);
        else send();
      });
    });
    // Postwire's sender keeps connections open between deliveries (a benchmark sends thousands).
    server.keepAliveTimeout = 30_000;
    const self = new Receiver(server, options.keepRequests ?? true);
    holder.self = self;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  respondWith(responder: Responder): void {
    this.responder = responder;
  }

  /** Forgets everything received so far. */
  reset(): void {
    this.requests.length = 0;
    this.count = 0;
    this.firstByTxid.clear();
    this.idempotencyKeys.clear();
  }

  /** Idempotency-Keys received more than once since start or {@link reset}. */
  repeatedKeys(): string[] {
    return [...this.idempotencyKeys].filter(([, n]) => n > 1).map(([key]) => key);
  }

  /** Waits until at least `count` requests arrived (or fails after `timeoutMs`). */
  async waitFor(count: number, timeoutMs = 20_000): Promise<ReceivedRequest[]> {
    await waitUntil(() => this.requests.length >= count, timeoutMs, `${count} requests (the receiver got ${this.requests.length})`, 25);
    return this.requests;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private note(received: ReceivedRequest) {
    this.count++;
    const txid = received.query.get('txid');
    if (txid && !this.firstByTxid.has(txid)) this.firstByTxid.set(txid, received);
    const key = received.headers['idempotency-key'];
    if (typeof key === 'string') this.idempotencyKeys.set(key, (this.idempotencyKeys.get(key) ?? 0) + 1);
    const index = this.keepRequests ? this.requests.push(received) - 1 : this.count - 1;
    return this.responder(received, index);
  }
}
