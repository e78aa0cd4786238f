import { connect, type Socket } from 'node:net';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { PostwireProcess } from './support/postwire-process';
import { waitUntil } from './support/wait-until';

const HEADERS_TIMEOUT_MS = 1000;
const REQUEST_TIMEOUT_MS = 2000;
const KEEP_ALIVE_TIMEOUT_MS = 500;
const IDLE_TIMEOUT_MS = 3000;
const MAX_CONNECTIONS = 60;
/** Node checks the header and request deadlines once a second; a close may come that much later. */
const SLACK_MS = 2500;

/** A raw loopback socket that records what it received and when it was closed by the server. */
class RawClient {
  received = '';
  closedAt?: number;
  readonly openedAt = Date.now();
  private constructor(readonly socket: Socket) {
    socket.on('data', (d: Buffer) => (this.received += d.toString('latin1')));
    socket.on('close', () => (this.closedAt = Date.now()));
    socket.on('error', () => undefined);
  }

  static open(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => resolve(new RawClient(socket)));
      socket.once('error', reject);
    });
  }

  /** Sends `text` one byte per `everyMs` until done or the socket is closed. */
  async trickle(text: string, everyMs: number): Promise<void> {
    for (const ch of text) {
      if (this.closedAt !== undefined || this.socket.destroyed) return;
      this.socket.write(ch);
      await new Promise((r) => setTimeout(r, everyMs));
    }
  }

  /** Resolves with how long the socket lived once the server closed it; rejects after `withinMs`. */
  async closed(withinMs: number): Promise<number> {
    try {
      await waitUntil(() => this.closedAt !== undefined, withinMs, 'the server to close the socket', 25);
    } catch (error) {
      throw new Error(`${(error as Error).message}; received ${JSON.stringify(this.received.slice(0, 200))}`);
    }
    return this.closedAt! - this.openedAt;
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * Slow and idle clients against a tracker with short, configured timeouts: a trickled body or
 * header, an idle keep-alive socket and a silent socket are all closed by the server, the number
 * of sockets is capped, and /health answers while many idle sockets are open. Loopback only,
 * bounded counts.
 */
describe('slow and idle clients', () => {
  let app: PostwireProcess;
  let dropDb: () => Promise<void>;
  const clients: RawClient[] = [];
  const open = async () => {
    const c = await RawClient.open(app.port);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    const db = await createPostgresDatabase();
    dropDb = db.drop;
    app = await PostwireProcess.start({
      entry: 'tracker',
      env: {
        DATABASE_URL: db.url,
        HTTP_HEADERS_TIMEOUT_MS: String(HEADERS_TIMEOUT_MS),
        HTTP_REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS),
        HTTP_KEEP_ALIVE_TIMEOUT_MS: String(KEEP_ALIVE_TIMEOUT_MS),
        HTTP_IDLE_TIMEOUT_MS: String(IDLE_TIMEOUT_MS),
        HTTP_MAX_CONNECTIONS: String(MAX_CONNECTIONS),
      },
    });
  });

  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

  afterAll(async () => {
    await app?.dispose();
    await dropDb?.();
  });

  it('closes a socket that sends its headers at 1 byte/s', async () => {
    const c = await open();
    void c.trickle(`GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ${'a'.repeat(30)}\r\n\r\n`, 1000);
    expect(await c.closed(HEADERS_TIMEOUT_MS + SLACK_MS)).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 100);
    expect(c.received).not.toContain('200 OK');
  });

  it('closes a socket that sends its body at 1 byte/s', async () => {
    const c = await open();
    const body = 'click_id=' + 'x'.repeat(40);
    c.socket.write(`POST /postback HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n`);
    void c.trickle(body, 1000);
    expect(await c.closed(REQUEST_TIMEOUT_MS + SLACK_MS)).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    // Whatever was answered (a 408 or nothing), the postback was not taken.
    expect(c.received).not.toMatch(/^HTTP\/1\.1 200/);
  });

  it('closes an idle keep-alive socket after its request was answered', async () => {
    const c = await open();
    c.socket.write('GET /health HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n');
    const lived = await c.closed(KEEP_ALIVE_TIMEOUT_MS + SLACK_MS);
    expect(c.received).toMatch(/^HTTP\/1\.1 200/);
    expect(lived).toBeGreaterThanOrEqual(KEEP_ALIVE_TIMEOUT_MS - 100);
  });

  it('closes a socket that never sends anything', async () => {
    const c = await open();
    await c.closed(Math.max(HEADERS_TIMEOUT_MS, IDLE_TIMEOUT_MS) + SLACK_MS);
    expect(c.received).not.toContain('200 OK');
  });

  it('answers /health with many idle sockets open, drops sockets beyond the cap, and frees them all again', async () => {
    const idle = await Promise.all(Array.from({ length: MAX_CONNECTIONS - 10 }, open));
    const health = await fetch(`${app.url}/health`);
    expect(health.status).toBe(200);
    // Past the cap: new sockets are accepted by the kernel and closed by the server at once.
    const beyond = await Promise.all(Array.from({ length: 20 }, open));
    await Promise.all(beyond.slice(-5).map((c) => c.closed(1000)));
    // The idle ones time out, after which the tracker answers again.
    await Promise.all(idle.map((c) => c.closed(Math.max(HEADERS_TIMEOUT_MS, IDLE_TIMEOUT_MS) + SLACK_MS)));
    expect((await fetch(`${app.url}/health`)).status).toBe(200);
  });
});
