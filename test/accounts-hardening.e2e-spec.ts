import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { ConsoleSession } from './support/console-session';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';

const PASSWORD = 'correct horse battery staple';
const AUTH_FAILURES = 3;

/**
 * Issue 23, accounts and secrets, over real HTTP against the built app on a PostgreSQL database of
 * its own and the real Redis. Each race is fired really concurrently. Requests name their client
 * address in X-Forwarded-For (TRUST_PROXY is loopback), so each case counts against an address of its own.
 */
describe('accounts hardening: limits that concurrency cannot beat, one lockout, keys and sessions that end, secrets that stay', () => {
  let app: PostwireProcess;
  let db: { url: string; drop: () => Promise<void> };
  let receiver: Receiver;
  let nextAddress = 1;
  const address = () => `203.0.113.${nextAddress++}`;

  const signIn = (email: string, password: string, ip: string) =>
    fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': ip },
      body: JSON.stringify({ email, password }),
    });
  const user = async (email: string, role: string) => {
    const res = await app.api<{ id: string }>('POST', '/api/users', { email, password: PASSWORD, role });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const signedIn = async (email: string) => {
    const session = new ConsoleSession(app);
    expect((await session.signIn(email, PASSWORD)).status).toBe(200);
    return session;
  };

  beforeAll(async () => {
    db = await createPostgresDatabase();
    receiver = await Receiver.start();
    app = await PostwireProcess.start({
      env: {
        DATABASE_URL: db.url,
        TRUST_PROXY: '127.0.0.1/32',
        RATE_LIMIT_ADMIN_AUTH_FAILURES: String(AUTH_FAILURES),
        SESSIONS_PER_USER: '3',
        SIGN_IN_SUCCESSES_PER_ACCOUNT: '6',
        CONSOLE_DIR: '/nonexistent/console-build',
      },
    });
  }, 120_000);

  afterAll(async () => {
    await app?.dispose();
    await receiver?.close();
    await db?.drop();
  });

  it('checks at most 5 passwords when 40 wrong ones for one account arrive at once', async () => {
    await user('burst@example.com', 'manager');
    const statuses = await Promise.all(Array.from({ length: 40 }, (_, i) => signIn('burst@example.com', `wrong ${i}`, address()).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(5);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(35);
  });

  it('does not let the right password through a burst of 39 wrong ones once the limit is reached', async () => {
    await user('burst2@example.com', 'manager');
    const ip = address();
    const burst = [...Array.from({ length: 39 }, (_, i) => `wrong ${i}`), PASSWORD];
    const statuses = await Promise.all(burst.map((password) => signIn('burst2@example.com', password, ip).then((r) => r.status)));
    // Only the attempts that got a point were checked: the five first, whichever they were.
    expect(statuses.filter((s) => s === 401 || s === 200).length).toBeLessThanOrEqual(5);
    expect((await signIn('burst2@example.com', PASSWORD, address())).status).toBe(429);
  });

  it('checks at most 20 passwords when 100 sign-ins to different accounts come from one address at once', async () => {
    const ip = address();
    const statuses = await Promise.all(Array.from({ length: 100 }, (_, i) => signIn(`nobody${i}@example.com`, 'guess', ip).then((r) => r.status)));
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(20);
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThanOrEqual(80);
  });

  it('counts nİna@ and nina@ as one account: stored, signed in and throttled in one canonical form', async () => {
    const id = await user('Nina@Example.com', 'manager');
    expect((await app.api<{ email: string }>('GET', `/api/users/${id}`)).body.email).toBe('nina@example.com');
    expect((await app.api<{ error: string }>('POST', '/api/users', { email: 'NINA@example.com', password: PASSWORD, role: 'client' })).body.error).toBe(
      'email_taken',
    );
    expect((await signIn('n\u0130na@example.com', PASSWORD, address())).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await signIn('nina@example.com', `wrong ${i}`, address())).status).toBe(401);
    expect((await signIn('n\u0130na@example.com', PASSWORD, address())).status).toBe(429);
  });

  it('keeps at most SESSIONS_PER_USER live sessions (the oldest end), throttles successful sign-ins, lists sessions and signs out one or everywhere', async () => {
    await user('roamer@example.com', 'manager');
    const sessions: ConsoleSession[] = [];
    for (let i = 0; i < 5; i++) sessions.push(await signedIn('roamer@example.com'));
    expect((await sessions[0].request('GET', '/api/auth/me')).status).toBe(401);
    expect((await sessions[1].request('GET', '/api/auth/me')).status).toBe(401);
    const list = await sessions[4].request<Array<{ id: string; current: boolean; userAgent: string | null }>>('GET', '/api/auth/sessions');
    expect(list.status).toBe(200);
    expect(list.body).toHaveLength(3);
    expect(list.body.filter((s) => s.current)).toHaveLength(1);
    expect(list.body[0].current).toBe(true);

    const other = list.body.find((s) => !s.current)!;
    expect((await sessions[4].request('DELETE', `/api/auth/sessions/${other.id}`)).status).toBe(204);
    expect((await sessions[4].request('DELETE', `/api/auth/sessions/${other.id}`)).status).toBe(404);
    expect((await sessions[4].request('DELETE', `/api/auth/sessions/${other.id}`, undefined, { csrf: false })).status).toBe(403);
    expect((await sessions[4].request<unknown[]>('GET', '/api/auth/sessions')).body).toHaveLength(2);

    expect((await sessions[4].request('DELETE', '/api/auth/sessions')).status).toBe(204);
    for (const s of sessions) expect((await s.request('GET', '/api/auth/me')).status).toBe(401);

    // Six successful sign-ins in this window: the seventh is refused before its password is checked.
    expect((await new ConsoleSession(app).signIn('roamer@example.com', PASSWORD)).status).toBe(200);
    expect((await new ConsoleSession(app).signIn('roamer@example.com', PASSWORD)).status).toBe(429);
  });

  it('leaves one admin when the last two are demoted at the same moment', async () => {
    const admins = (await app.api<Array<{ id: string; role: string }>>('GET', '/api/users')).body.filter((u) => u.role === 'admin');
    const second = await user('second-admin@example.com', 'admin');
    const pair = [...admins.map((a) => a.id), second];
    expect(pair).toHaveLength(2);
    const results = await Promise.all(pair.map((id) => app.api<{ error?: string }>('PATCH', `/api/users/${id}`, { role: 'manager' })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409]);
    expect(results.find((r) => r.status === 409)?.body.error).toBe('last_admin');
    expect((await app.api<Array<{ role: string }>>('GET', '/api/users')).body.filter((u) => u.role === 'admin')).toHaveLength(1);
    // Put the first admin back for the tests after this one.
    const demoted = results.findIndex((r) => r.status === 200);
    expect((await app.api('PATCH', `/api/users/${pair[demoted]}`, { role: 'admin' })).status).toBe(200);
  });

  it('records who made an API key and revokes it, and the keys made with it, when that admin is demoted', async () => {
    await user('keymaker@example.com', 'admin');
    const keymakerSession = await signedIn('keymaker@example.com');
    const made = await keymakerSession.request<{ id: string; key: string; createdBy: unknown }>('POST', '/api/api-keys', { scope: 'admin', label: 'ops' });
    expect(made.status).toBe(201);
    expect(made.body.createdBy).toEqual({ id: expect.any(String), email: 'keymaker@example.com' });
    const byKey = await fetch(`${app.url}/api/api-keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${made.body.key}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'admin', label: 'child' }),
    });
    const child = (await byKey.json()) as { key: string; createdBy: { email: string } };
    expect(child.createdBy.email).toBe('keymaker@example.com');
    const listed = await app.api<Array<{ id: string; createdBy: { email: string } | null }>>('GET', '/api/api-keys');
    expect(listed.body.find((k) => k.id === made.body.id)?.createdBy?.email).toBe('keymaker@example.com');

    const keymaker = (await app.api<Array<{ id: string; email: string }>>('GET', '/api/users')).body.find((u) => u.email === 'keymaker@example.com')!;
    expect((await app.api('PATCH', `/api/users/${keymaker.id}`, { role: 'manager' })).status).toBe(200);
    for (const key of [made.body.key, child.key]) {
      expect((await fetch(`${app.url}/api/users`, { headers: { authorization: `Bearer ${key}` } })).status).toBe(401);
    }
    expect((await app.api('GET', '/api/users')).status).toBe(200);
  });

  it('locks an address out of /metrics and the queue board after wrong keys, a right key included, but never for missing credentials', async () => {
    const basic = (key: string) => 'Basic ' + Buffer.from(`ops:${key}`).toString('base64');
    const metricsIp = address();
    for (let i = 0; i < AUTH_FAILURES; i++) {
      expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer wrong${i}`, 'x-forwarded-for': metricsIp } })).status).toBe(401);
    }
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: 'Bearer one-too-many', 'x-forwarded-for': metricsIp } })).status).toBe(429);
    const confirmed = await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-forwarded-for': metricsIp } });
    expect(confirmed.status).toBe(429);
    expect(Number(confirmed.headers.get('retry-after'))).toBeGreaterThan(0);
    expect((await fetch(`${app.url}/api/networks`, { headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-forwarded-for': metricsIp } })).status).toBe(429);

    const boardIp = address();
    for (let i = 0; i < AUTH_FAILURES; i++) {
      expect((await fetch(`${app.url}/admin/queues`, { headers: { authorization: basic(`wrong${i}`), 'x-forwarded-for': boardIp } })).status).toBe(401);
    }
    expect((await fetch(`${app.url}/admin/queues`, { headers: { authorization: basic('one-too-many'), 'x-forwarded-for': boardIp } })).status).toBe(429);
    const board = await fetch(`${app.url}/admin/queues`, { headers: { authorization: basic(ADMIN_KEY), 'x-forwarded-for': boardIp } });
    expect(board.status).toBe(429);
    expect(await board.json()).toMatchObject({ error: 'too_many_auth_failures' });

    const anonymousIp = address();
    for (let i = 0; i < 10; i++) {
      expect((await fetch(`${app.url}/api/networks`, { headers: { 'x-forwarded-for': anonymousIp } })).status).toBe(401);
      expect((await fetch(`${app.url}/admin/queues`, { headers: { 'x-forwarded-for': anonymousIp } })).status).toBe(401);
    }
    expect((await fetch(`${app.url}/api/networks`, { headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-forwarded-for': anonymousIp } })).status).toBe(200);
    expect((await fetch(`${app.url}/metrics`, { headers: { authorization: `Bearer ${ADMIN_KEY}`, 'x-forwarded-for': anonymousIp } })).status).toBe(200);
  });

  it("does not let a manager send a source's credentials to a host of its own; masked values sent back keep the stored ones", async () => {
    const partner = 'https://partner.example/pb?token=t0psecret&cid={click_id}';
    const created = await app.api<{ id: string }>('POST', '/api/traffic-sources', {
      name: 'Secretive',
      postbackUrl: partner,
      headers: { Authorization: 'Bearer partner-bearer', 'X-Partner-Key': 'partner-key', Accept: 'text/plain' },
    });
    expect(created.status).toBe(201);
    const id = created.body.id;
    await user('editor@example.com', 'manager');
    const manager = await signedIn('editor@example.com');
    const shown = await manager.request<{ postbackUrl: string; headers: Record<string, string>; version: number }>('GET', `/api/traffic-sources/${id}`);
    expect(shown.body.postbackUrl).toBe('https://partner.example/pb?token=***&cid={click_id}');
    expect(shown.body.headers).toEqual({ authorization: '***', 'x-partner-key': '***', accept: 'text/plain' });

    // Sending the masked view back unchanged keeps every stored value, never a literal ***.
    expect(
      (
        await manager.request('PATCH', `/api/traffic-sources/${id}`, {
          name: 'Renamed',
          postbackUrl: shown.body.postbackUrl,
          headers: shown.body.headers,
          version: shown.body.version,
        })
      ).status,
    ).toBe(200);
    const stored = await app.api<{ postbackUrl: string; headers: Record<string, string> }>('GET', `/api/traffic-sources/${id}`);
    expect(stored.body.postbackUrl).toBe(partner);
    expect(stored.body.headers).toEqual({ authorization: 'Bearer partner-bearer', 'x-partner-key': 'partner-key', accept: 'text/plain' });

    // Moving to another host with the stored credentials following: refused, and nothing reaches that host.
    const elsewhere = `${receiver.url}/steal?cid={click_id}`;
    const moved = await manager.request<{ error: string; param: string }>('PATCH', `/api/traffic-sources/${id}`, { postbackUrl: elsewhere });
    expect([moved.status, moved.body.error, moved.body.param]).toEqual([403, 'credentials_required', 'postbackUrl']);
    const movedMasked = await manager.request<{ error: string }>('PATCH', `/api/traffic-sources/${id}`, {
      postbackUrl: `${receiver.url}/steal?token=***`,
      headers: { authorization: 'Bearer mine' },
    });
    expect([movedMasked.status, movedMasked.body.error]).toEqual([403, 'credentials_required']);
    const unknownMask = await manager.request<{ param: string }>('PATCH', `/api/traffic-sources/${id}`, { headers: { 'x-other-key': '***' } });
    expect([unknownMask.status, unknownMask.body.param]).toEqual([400, 'headers.x-other-key']);
    expect(receiver.requests).toHaveLength(0);

    // With the credentials entered again the move is the manager's to make, and only the new values go there.
    // (A console edit names the version it was made from: the refusals above changed nothing, so it is the one after the rename.)
    const reentered = await manager.request('PATCH', `/api/traffic-sources/${id}`, {
      postbackUrl: elsewhere,
      headers: { 'X-Partner-Key': 'for-the-new-host' },
      version: shown.body.version + 1,
    });
    expect(reentered.status).toBe(200);
    expect((await manager.request('POST', `/api/traffic-sources/${id}/test-delivery`, {})).status).toBe(200);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].headers.authorization).toBeUndefined();
    expect(receiver.requests[0].headers['x-partner-key']).toBe('for-the-new-host');
    expect(receiver.requests[0].url).not.toContain('t0psecret');

    // An admin may move it with the stored credentials (the admin may read them anyway).
    expect((await app.api('PATCH', `/api/traffic-sources/${id}`, { postbackUrl: partner, headers: stored.body.headers })).status).toBe(200);
    const admin = await app.api<{ postbackUrl: string }>('PATCH', `/api/traffic-sources/${id}`, { postbackUrl: `${receiver.url}/admin?token=***` });
    expect(admin.status).toBe(200);
    expect(admin.body.postbackUrl).toBe(`${receiver.url}/admin?token=t0psecret`);
  });
});
