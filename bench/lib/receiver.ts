import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * The traffic source's postback endpoint: answers 200 at once and notes when each txid arrived
 * (wall clock, to compare with the tracker's `received_at`; monotonic, for rates).
 */
export class Receiver {
  readonly hits = new Map<string, { wallMs: number; mono: number }>();
  hitCount = 0;
  private constructor(private readonly server: Server) {}

  static async start(): Promise<Receiver> {
    const holder: { self?: Receiver } = {};
    const server = createServer((req, res) => {
      const self = holder.self!;
      self.hitCount++;
      const txid = new URL(req.url ?? '/', 'http://r').searchParams.get('txid');
      if (txid && !self.hits.has(txid)) self.hits.set(txid, { wallMs: Date.now(), mono: performance.now() });
      req.resume();
      res.writeHead(200, { 'content-type': 'text/plain' });
      res.end('ok');
    });
    server.keepAliveTimeout = 30_000;
    const self = new Receiver(server);
    holder.self = self;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return self;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  reset(): void {
    this.hits.clear();
    this.hitCount = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
