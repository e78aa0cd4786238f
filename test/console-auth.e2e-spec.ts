import { ConsoleSession } from './support/console-session';
import { PostwireProcess } from './support/postwire-process';
import { readyBlockOf } from './support/ready-block';
import { click, getJson, setUpCampaign } from './support/scenario';
import { listItems, type Paged } from './support/paged';

const PASSWORD = 'correct horse battery staple';

/**
 * Console accounts over real HTTP on PostgreSQL: sign-in, sessions, CSRF, roles. A client is
 * given one campaign of two and must not reach the other by URL or by a direct API call.
 */
describe('console accounts, sessions and roles', () => {
  let app: PostwireProcess;
  let own: { campaignId: string; conversionId: string; trafficSourceId: string; networkId: string };
  let other: { campaignId: string; conversionId: string };

  const user = async (email: string, role: string, extra: Record<string, unknown> = {}) => {
    const res = await app.api<{ id: string }>('POST', '/api/users', { email, password: PASSWORD, role, ...extra });
    expect(res.status).toBe(201);
    return res.body.id;
  };
  const signedIn = async (email: string, password = PASSWORD) => {
    const session = new ConsoleSession(app);
    expect((await session.signIn(email, password)).status).toBe(200);
    return session;
  };
  const convert = async (campaignId: string) => {
    const clickId = await click(app, campaignId);
    const postback = await getJson<{ conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&amount=10.00`);
    expect(postback.status).toBe(200);
    return postback.body.conversion_id;
  };

  beforeAll(async () => {
    app = await PostwireProcess.start({
      database: 'postgres',
      env: { SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3', SIGN_IN_ATTEMPTS_PER_IP: '6', CONSOLE_DIR: '/nonexistent/console-build', TRUST_PROXY: '127.0.0.1/32' },
    });
    const a = await setUpCampaign(app, 'http://127.0.0.1:9', { networkSlug: 'acme' });
    const b = await app.api<{ id: string }>('POST', '/api/campaigns', { name: 'Not yours', trafficSourceId: a.trafficSourceId, offerId: a.offerId });
    own = { ...a, conversionId: await convert(a.campaignId) };
    other = { campaignId: b.body.id, conversionId: await convert(b.body.id) };
  }, 120_000);

  afterAll(async () => {
    await app?.dispose();
  });

  it('makes the first admin at first boot, prints its password once, and signs it in', async () => {
    const block = readyBlockOf(app.output);
    expect(block['admin password']).toMatch(/^[\w-]{24}$/);
    const [email, password] = [block['admin e-mail'], block['admin password']];
    // Printed once, in the block.
    expect(app.output.split(password)).toHaveLength(2);
    const session = new ConsoleSession(app);
    const res = await session.signIn(email.toUpperCase(), password);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      user: expect.objectContaining({ email: email, role: 'admin', campaignIds: [], hideProfit: false, timeZone: 'UTC' }),
      csrfToken: expect.any(String),
    });
    const cookie = res.headers.getSetCookie().find((c) => c.startsWith('pw_session='))!;
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(cookie).toMatch(/Path=\//);
    expect(cookie).not.toMatch(/Secure/i);
    expect((await session.request('GET', '/api/auth/me')).body).toMatchObject({ user: { email: email }, csrfToken: res.body.csrfToken });
  });

  it('marks the session cookie Secure when a trusted proxy says the client used https', async () => {
    await user('proxied@example.com', 'manager');
    const login = (headers: Record<string, string>) =>
      fetch(`${app.url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ email: 'proxied@example.com', password: PASSWORD }),
      });
    const viaHttps = await login({ 'x-forwarded-proto': 'https', 'x-forwarded-for': '203.0.113.7' });
    expect(viaHttps.status).toBe(200);
    expect(viaHttps.headers.getSetCookie().find((c) => c.startsWith('pw_session='))).toMatch(/;\s*Secure/i);
    const viaHttp = await login({ 'x-forwarded-proto': 'http', 'x-forwarded-for': '203.0.113.7' });
    expect(viaHttp.headers.getSetCookie().find((c) => c.startsWith('pw_session='))).not.toMatch(/Secure/i);
    const form = await fetch(`${app.url}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `email=proxied%40example.com&password=${encodeURIComponent(PASSWORD)}`,
    });
    expect(form.status).toBe(415);
  });

  it('refuses a wrong password with 401 invalid_credentials, and /me without a session with 401 not_signed_in', async () => {
    await user('someone@example.com', 'manager');
    const session = new ConsoleSession(app);
    const wrong = await session.signIn('someone@example.com', 'not the password');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toBe('invalid_credentials');
    expect(session.cookie).toBeUndefined();
    const me = await session.request('GET', '/api/auth/me');
    expect(me.status).toBe(401);
    expect(me.body.error).toBe('not_signed_in');
  });

  it('a client sees only its granted campaign: another campaign by URL or API is 404 or absent, admin routes 403', async () => {
    await user('client@example.com', 'client', { campaignIds: [own.campaignId], hideProfit: true });
    const client = await signedIn('client@example.com');

    const campaigns = await client.request<Array<{ id: string }>>('GET', '/api/campaigns');
    expect(campaigns.status).toBe(200);
    expect(campaigns.body.map((c) => c.id)).toEqual([own.campaignId]);
    expect((await client.request('GET', `/api/campaigns/${own.campaignId}`)).status).toBe(200);

    for (const path of [`/api/campaigns/${other.campaignId}`, `/api/conversions/${other.conversionId}`]) {
      const res = await client.request('GET', path);
      expect(res.status).toBe(404);
      expect(res.body.error).toBe('not_found');
    }
    const conversions = await client.request<Paged<{ id: string }>>('GET', '/api/conversions');
    expect(conversions.body.items.map((c) => c.id)).toEqual([own.conversionId]);
    expect(conversions.body).toMatchObject({ total: 1, totalIsLowerBound: false });
    expect((await client.request('GET', `/api/conversions?campaignId=${other.campaignId}`)).body).toMatchObject({ items: [], total: 0 });
    // A filter the other campaign's conversion also matches (same network) still shows only the client's own.
    const byNetwork = await client.request<Paged<{ id: string }>>('GET', `/api/conversions?networkId=${own.networkId}`);
    expect([byNetwork.body.items.map((c) => c.id), byNetwork.body.total]).toEqual([[own.conversionId], 1]);
    expect((await client.request('GET', `/api/conversions/${own.conversionId}`)).status).toBe(200);

    const deliveries = await client.request<Paged<{ id: string; conversionId: string }>>('GET', '/api/deliveries');
    expect(deliveries.body.items.length).toBeGreaterThan(0);
    expect(deliveries.body.total).toBe(deliveries.body.items.length);
    expect(deliveries.body.items.every((d) => d.conversionId === own.conversionId)).toBe(true);
    const deliveriesCsv = await fetch(`${app.url}/api/deliveries?format=csv`, { headers: { cookie: `pw_session=${client.cookie}` } });
    const deliveryLines = (await deliveriesCsv.text()).trim().split('\r\n');
    expect(
      deliveryLines
        .slice(1)
        .map((l) => l.split(',')[0])
        .sort(),
    ).toEqual(deliveries.body.items.map((d) => d.id).sort());
    const [otherDelivery] = await listItems<{ id: string }>(app, `/api/deliveries?conversionId=${other.conversionId}`);
    expect((await client.request('GET', `/api/deliveries/${otherDelivery.id}`)).status).toBe(404);
    const postbacks = await client.request<{ items: Array<{ conversionId: string }> }>('GET', '/api/postbacks');
    expect(postbacks.body.items.map((p) => p.conversionId)).toEqual([own.conversionId]);

    for (const [method, path, body] of [
      ['GET', '/api/networks'],
      ['GET', '/api/users'],
      ['GET', '/api/api-keys'],
      ['GET', '/api/plugins'],
      ['GET', `/api/networks/${own.networkId}/signing-secrets`],
      ['POST', '/api/campaigns', { name: 'x', trafficSourceId: own.trafficSourceId, offerId: own.trafficSourceId }],
      ['POST', `/api/deliveries/${deliveries.body.items[0].id}/retry`],
    ] as Array<[string, string, unknown?]>) {
      const res = await client.request(method, path, body);
      expect([method, path, res.status, res.body.error]).toEqual([method, path, 403, 'insufficient_scope']);
    }
  });

  it('a client with hideProfit gets the stats report of its campaigns only, without cost, profit or ROI, in JSON and CSV', async () => {
    const day = new Date().toISOString().slice(0, 10);
    const next = new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
    const query = `/api/reports/stats?from=${day}&to=${next}&groupBy=campaign`;
    const admin = await app.api<{ rows: Array<Record<string, unknown>>; totals: Record<string, unknown> }>('GET', query);
    expect(admin.status).toBe(200);
    expect(admin.body.rows.map((r) => r.campaign).sort()).toEqual([own.campaignId, other.campaignId].sort());
    expect(admin.body.rows[0]).toHaveProperty('profit');
    const client = await signedIn('client@example.com');
    const scoped = await client.request<{ rows: Array<Record<string, unknown>>; totals: Record<string, unknown> }>('GET', query);
    expect(scoped.status).toBe(200);
    expect(scoped.body.rows.map((r) => r.campaign)).toEqual([own.campaignId]);
    for (const figures of [...scoped.body.rows, scoped.body.totals]) {
      expect(Object.keys(figures).filter((k) => /^(cost|profit|roi|cpa)/i.test(k))).toEqual([]);
      expect(figures).toHaveProperty('conversions', 1);
    }
    expect((await client.request('GET', `${query}&campaign=${other.campaignId}`)).body).toMatchObject({ rows: [] });
    expect((await app.api('GET', `/api/campaigns/${own.campaignId}`)).body).toHaveProperty('costModel');
    const campaign = await client.request('GET', `/api/campaigns/${own.campaignId}`);
    expect(campaign.body).toMatchObject({ id: own.campaignId, clickUrl: expect.any(String) });
    expect(Object.keys(campaign.body).filter((k) => k.startsWith('cost'))).toEqual([]);
    expect((await client.request('GET', `${query}&sort=-profit`)).body).toMatchObject({ error: 'bad_parameter', param: 'sort' });
    const csv = await fetch(`${app.url}${query}&format=csv`, { headers: { cookie: `pw_session=${client.cookie}` } });
    const [header, ...lines] = (await csv.text()).trim().split('\r\n');
    expect(header.split(',')).toEqual(expect.arrayContaining(['campaign', 'clicks', 'conversions', 'payout']));
    expect(header.split(',').filter((c) => /^(cost|profit|roi|cpa)$/.test(c))).toEqual([]);
    expect(lines.map((l) => l.split(',')[0])).toEqual([own.campaignId]);
    const exported = await fetch(`${app.url}/api/conversions?from=${day}&to=${next}&format=csv`, { headers: { cookie: `pw_session=${client.cookie}` } });
    const exportedLines = (await exported.text()).trim().split('\r\n').slice(1);
    expect(exportedLines.map((l) => l.split(',')[0])).toEqual([own.conversionId]);
  });

  it('a manager manages the setup but is refused users, API keys and secrets', async () => {
    await user('manager@example.com', 'manager');
    const manager = await signedIn('manager@example.com');
    expect((await manager.request('POST', '/api/networks', { name: 'By manager' })).status).toBe(201);
    expect((await manager.request('GET', `/api/campaigns/${other.campaignId}`)).status).toBe(200);
    for (const [method, path, body] of [
      ['GET', '/api/users'],
      ['POST', '/api/users', { email: 'new@example.com', password: PASSWORD, role: 'admin' }],
      ['GET', '/api/api-keys'],
      ['POST', '/api/api-keys', { scope: 'admin' }],
      ['GET', `/api/networks/${own.networkId}/api-keys`],
      ['POST', `/api/networks/${own.networkId}/signing-secrets`, {}],
      ['GET', `/api/traffic-sources/${own.trafficSourceId}/signing-secrets`],
      ['POST', `/api/traffic-sources/${own.trafficSourceId}/signing-secrets`],
    ] as Array<[string, string, unknown?]>) {
      const res = await manager.request(method, path, body);
      expect([method, path, res.status, res.body.error]).toEqual([method, path, 403, 'insufficient_scope']);
    }
  });

  it('refuses a cookie-authenticated write without the right CSRF token; an API key needs none', async () => {
    await user('csrf@example.com', 'admin');
    const admin = await signedIn('csrf@example.com');
    for (const csrf of [false, 'forged-token'] as const) {
      const res = await admin.request('POST', '/api/networks', { name: 'Forged' }, { csrf });
      expect(res.status).toBe(403);
      expect(res.body.error).toBe('csrf_token_invalid');
      const put = await admin.request('PUT', '/api/auth/me/preferences', { timeZone: 'Europe/Berlin' }, { csrf });
      expect(put.body.error).toBe('csrf_token_invalid');
    }
    expect((await admin.request('GET', '/api/networks')).status).toBe(200);
    expect((await admin.request('POST', '/api/networks', { name: 'Genuine' })).status).toBe(201);
    expect((await app.api('POST', '/api/networks', { name: 'By key' })).status).toBe(201);
    const names = (await app.api<Array<{ name: string }>>('GET', '/api/networks')).body.map((n) => n.name);
    expect(names).not.toContain('Forged');

    const prefs = await admin.request('PUT', '/api/auth/me/preferences', { timeZone: 'Europe/Berlin' });
    expect(prefs.status).toBe(200);
    expect((await admin.request('GET', '/api/auth/me')).body).toMatchObject({ user: { timeZone: 'Europe/Berlin' } });
    const bad = await admin.request('PUT', '/api/auth/me/preferences', { timeZone: 'Mars/Olympus' });
    expect([bad.status, bad.body.param]).toEqual([400, 'timeZone']);
  });

  it('sign-out revokes the session: the same cookie no longer works', async () => {
    await user('leaver@example.com', 'manager');
    const session = await signedIn('leaver@example.com');
    const cookie = session.cookie;
    const out = await session.request('POST', '/api/auth/logout');
    expect(out.status).toBe(204);
    expect(out.headers.getSetCookie().join()).toMatch(/pw_session=;/);
    const replayed = new ConsoleSession(app);
    replayed.cookie = cookie;
    expect((await replayed.request('GET', '/api/auth/me')).status).toBe(401);
    expect((await replayed.request('GET', '/api/networks')).status).toBe(401);
  });

  it('a new sign-in gets a new session id, and the one it came with ends', async () => {
    await user('rotate@example.com', 'manager');
    const session = await signedIn('rotate@example.com');
    const before = session.cookie;
    expect((await session.signIn('rotate@example.com', PASSWORD)).status).toBe(200);
    expect(session.cookie).not.toBe(before);
    const old = new ConsoleSession(app);
    old.cookie = before;
    expect((await old.request('GET', '/api/auth/me')).status).toBe(401);
  });

  it('a password change ends every session of the user but the new one it hands out', async () => {
    await user('changer@example.com', 'manager');
    const laptop = await signedIn('changer@example.com');
    const phone = await signedIn('changer@example.com');
    const wrong = await laptop.request('POST', '/api/auth/password', { currentPassword: 'nope', newPassword: 'a brand new password' });
    expect([wrong.status, wrong.body.param]).toEqual([400, 'currentPassword']);
    const oldCookie = laptop.cookie;
    const changed = await laptop.request('POST', '/api/auth/password', { currentPassword: PASSWORD, newPassword: 'a brand new password' });
    expect(changed.status).toBe(204);
    expect(laptop.cookie).not.toBe(oldCookie);
    expect((await phone.request('GET', '/api/auth/me')).status).toBe(401);
    const me = await laptop.request<{ csrfToken: string }>('GET', '/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body.csrfToken).toBe(changed.headers.get('x-csrf-token'));
    expect((await new ConsoleSession(app).signIn('changer@example.com', PASSWORD)).status).toBe(401);
    expect((await new ConsoleSession(app).signIn('changer@example.com', 'a brand new password')).status).toBe(200);
  });

  it('rate-limits sign-in per account and per address with 429 and Retry-After', async () => {
    await user('target@example.com', 'manager');
    await user('second@example.com', 'manager');
    const attempt = (email: string, password: string) => new ConsoleSession(app).signIn(email, password);
    for (let i = 0; i < 3; i++) expect((await attempt('target@example.com', 'guess ' + i)).status).toBe(401);
    const limited = await attempt('target@example.com', PASSWORD);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    // The per-address budget (6, with earlier tests' failures counted) runs out before this account's does.
    let status = 0;
    for (let i = 0; i < 6 && status !== 429; i++) status = (await attempt('second@example.com', 'guess ' + i)).status;
    expect(status).toBe(429);
    const fromSameAddress = await attempt('client@example.com', PASSWORD);
    expect(fromSameAddress.status).toBe(429);
  });

  it('keeps API keys working, and checks what an admin sends for a user', async () => {
    const bad = await app.api<{ param: string }>('POST', '/api/users', { email: 'x@example.com', password: 'short', role: 'admin' });
    expect([bad.status, bad.body.param]).toEqual([400, 'password']);
    const unknownCampaign = await app.api<{ param: string }>('POST', '/api/users', {
      email: 'y@example.com',
      password: PASSWORD,
      role: 'client',
      campaignIds: ['00000000-0000-4000-8000-000000000000'],
    });
    expect([unknownCampaign.status, unknownCampaign.body.param]).toEqual([400, 'campaignIds']);
    const taken = await app.api<{ error: string }>('POST', '/api/users', { email: 'CLIENT@example.com', password: PASSWORD, role: 'client' });
    expect([taken.status, taken.body.error]).toEqual([409, 'email_taken']);
  });

  it('publishes the OpenAPI document and its interactive docs without inline scripts, and says when the console is not built', async () => {
    const doc = await getJson<{ openapi: string; paths: Record<string, unknown> }>(`${app.url}/api/openapi.json`);
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/users', '/api/networks/{id}']));
    const page = await fetch(`${app.url}/api/docs/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).not.toMatch(/<script>/);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    for (const asset of ['/api/docs/swagger-ui-bundle.js', '/api/docs/init.js', '/api/docs/swagger-ui.css'])
      expect([asset, (await fetch(app.url + asset)).status]).toEqual([asset, 200]);
    const missing = await getJson<{ error: string; message: string }>(`${app.url}/console/`);
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: 'console_not_built', message: expect.stringContaining('npm run build') });
  });
});
