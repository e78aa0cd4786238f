import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';
import { signGet } from '../libs/security/src';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { waitUntil } from './support/wait-until';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { RedisServer } from './support/redis-server';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';

/**
 * Rate limits per client address and per network, shared by two tracker processes through one Redis
 * (a private redis-server, so it can be stopped to prove the limits fail open). Both trackers trust
 * 127.0.0.1 as their proxy, so each test picks its client address with X-Forwarded-For.
 */
describe('rate limits', () => {
  let one: PostwireProcess;
  let two: PostwireProcess;
  let redis: RedisServer;
  let dropDb: () => Promise<void>;
  let setup: Setup;
  const QUEUE_PREFIX = 'pwrl' + randomBytes(4).toString('hex');
  const IP_LIMIT = 5;
  const NETWORK_LIMIT = 4;
  const AUTH_FAILURES = 3;
  const AUTH_WINDOW_SEC = 3;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const database = await createPostgresDatabase();
    dropDb = database.drop;
    const env = {
      DATABASE_URL: database.url,
      REDIS_URL: redis.url,
      QUEUE_PREFIX,
      // Both processes must open the signing secrets the other one sealed.
      SECRETS_KEY: randomBytes(32).toString('hex'),
      TRUST_PROXY: '127.0.0.1/32',
      RATE_LIMIT_IP_PER_MIN: String(IP_LIMIT),
      RATE_LIMIT_NETWORK_PER_MIN: String(NETWORK_LIMIT),
      RATE_LIMIT_ADMIN_AUTH_FAILURES: String(AUTH_FAILURES),
      RATE_LIMIT_ADMIN_AUTH_WINDOW_SEC: String(AUTH_WINDOW_SEC),
    };
    one = await PostwireProcess.start({ entry: 'tracker', env });
    two = await PostwireProcess.start({ entry: 'tracker', env });
    setup = await setUpCampaign(one, 'http://127.0.0.1:9');
  });

  afterAll(async () => {
    await one?.dispose();
    await two?.dispose();
    await redis?.down();
    await dropDb?.();
  });

  const from = (ip: string): RequestInit => ({ redirect: 'manual', headers: { 'x-forwarded-for': ip } });
  const clickUrl = (app: PostwireProcess) => `${app.url}/c/${setup.campaignId}`;

  it('answers 429 with Retry-After once an address used its budget, across processes and endpoints', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < IP_LIMIT; i++) statuses.push((await fetch(clickUrl(i % 2 ? two : one), from('198.51.100.7'))).status);
    expect(statuses).toEqual(new Array(IP_LIMIT).fill(302));

    for (const url of [clickUrl(one), clickUrl(two), `${two.url}/postback?click_id=x`, `${one.url}/pixel.gif?click_id=x`, `${one.url}/postback/nope`]) {
      const res = await fetch(url, from('198.51.100.7'));
      expect(res.status).toBe(429);
      const retryAfter = Number(res.headers.get('retry-after'));
      expect(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60).toBe(true);
      expect(await res.json()).toMatchObject({ error: 'rate_limited' });
    }
    // Logged once for the whole flood, by whichever process took the counter over the budget.
    expect((one.output + two.output).match(/rate limit reached: ip=198\.51\.100\.7 /g)).toHaveLength(1);
    // Another address has its own budget; the admin API and health are not public endpoints.
    expect((await fetch(clickUrl(one), from('198.51.100.8'))).status).toBe(302);
    expect((await one.api('GET', '/api/networks')).status).toBe(200);
    expect((await fetch(`${one.url}/health`, from('198.51.100.7'))).status).toBe(200);
  });

  it('does not count loopback clients (benchmarks, health checks, a local proxy without TRUST_PROXY)', async () => {
    for (let i = 0; i < IP_LIMIT * 3; i++) expect((await fetch(clickUrl(one), { redirect: 'manual' })).status).toBe(302);
  });

  it('limits postbacks per network, counting only requests that passed its guards', async () => {
    const guarded = await setUpCampaign(one, 'http://127.0.0.1:9');
    await one.api('PATCH', `/api/networks/${guarded.networkId}`, { guards: { ipAllowlist: ['203.0.113.0/24'] } });
    const clickId = await click(one, guarded.campaignId);
    for (let i = 0; i < NETWORK_LIMIT * 2; i++) {
      const forged = await getJson(`${one.url}/postback/${guarded.networkId}?click_id=${clickId}`, from(`192.0.2.${i + 1}`));
      expect(forged.status).toBe(403);
    }
    const statuses: number[] = [];
    for (let i = 0; i < NETWORK_LIMIT; i++) {
      statuses.push(
        (await getJson(`${(i % 2 ? two : one).url}/postback/${guarded.networkId}?click_id=${clickId}&txid=t${i}`, from(`203.0.113.${i + 1}`))).status,
      );
    }
    expect(statuses).toEqual(new Array(NETWORK_LIMIT).fill(200));
    const limited = await fetch(`${two.url}/postback/${guarded.networkId}?click_id=${clickId}&txid=over`, from('203.0.113.99'));
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(one.output + two.output).toContain(`rate limit reached: network=${guarded.networkId} (${NETWORK_LIMIT}/min)`);

    // Other networks keep their own budget.
    const otherClick = await click(one, setup.campaignId);
    expect((await getJson(`${one.url}/postback/${setup.networkId}?click_id=${otherClick}`, from('203.0.113.120'))).status).toBe(200);
  });

  it('leaves a signed postback refused with 429 acceptable when retried as is after Retry-After', async () => {
    const signed = await setUpCampaign(one, 'http://127.0.0.1:9');
    expect((await one.api('PATCH', `/api/networks/${signed.networkId}`, { guards: { requireSignature: true } })).status).toBe(200);
    const { body } = await one.api<{ secret: string }>('POST', `/api/networks/${signed.networkId}/signing-secrets`, {});
    const path = `/postback/${signed.networkId}`;
    const signedUrl = async (app: PostwireProcess, txid: string) => {
      const query = { click_id: await click(one, signed.campaignId), txid, ts: String(Math.floor(Date.now() / 1000)) };
      return `${app.url}${path}?${new URLSearchParams({ ...query, sig: signGet(body.secret, 'GET', path, query) })}`;
    };
    for (let i = 0; i < NETWORK_LIMIT; i++) expect((await getJson(await signedUrl(one, `s${i}`), from(`203.0.113.${150 + i}`))).status).toBe(200);
    const retried = await signedUrl(two, 'late');
    const limited = await fetch(retried, from('203.0.113.160'));
    expect(limited.status).toBe(429);
    // The window passing, without waiting a minute: the network's counter is dropped from Redis.
    // The retry goes to the other process, which holds no in-memory block for the network.
    const client = new Redis(redis.url);
    await client.del(`${QUEUE_PREFIX}:rl:net:${signed.networkId}`);
    await client.quit();
    expect(await getJson(retried.replace(two.url, one.url), from('203.0.113.161'))).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect(await getJson(retried.replace(two.url, one.url), from('203.0.113.162'))).toMatchObject({ status: 401, body: { error: 'replayed' } });
  });

  it('limits failed admin authentications per address: 429 with Retry-After, even for the right key, until the window ends', async () => {
    const admin = (app: PostwireProcess, ip: string, key: string) =>
      fetch(`${app.url}/api/networks`, { headers: { authorization: `Bearer ${key}`, 'x-forwarded-for': ip } });
    const guesser = '198.51.100.201';
    for (let i = 0; i < AUTH_FAILURES; i++) expect((await admin(i % 2 ? two : one, guesser, `pw_admin_guess_${i}_xxxxxxxx`)).status).toBe(401);
    const limited = await admin(two, guesser, 'pw_admin_guess_last_xxxxxxxx');
    expect(limited.status).toBe(429);
    expect(await limited.json()).toMatchObject({ error: 'too_many_auth_failures' });
    const retryAfter = Number(limited.headers.get('retry-after'));
    expect(retryAfter >= 1 && retryAfter <= AUTH_WINDOW_SEC).toBe(true);
    // The right key does not get through either (and so does not tell the guesser it was right), on either process.
    expect((await admin(one, guesser, ADMIN_KEY)).status).toBe(429);
    expect((await admin(two, guesser, ADMIN_KEY)).status).toBe(429);
    // Other addresses are not affected.
    expect((await admin(one, '198.51.100.202', ADMIN_KEY)).status).toBe(200);
    expect((one.output + two.output).match(/admin authentication failures reached: ip=198\.51\.100\.201 /g)).toHaveLength(1);
    // Once the window ends, the right key works again.
    await waitUntil(async () => (await admin(one, guesser, ADMIN_KEY)).status === 200, (AUTH_WINDOW_SEC + 3) * 1000, 'the failure window to end');
  });

  it('fails open while Redis is down: clicks and postbacks are still taken', async () => {
    const clickId = await click(one, setup.campaignId);
    await redis.down();
    for (let i = 0; i < IP_LIMIT + 3; i++) expect((await fetch(clickUrl(i % 2 ? two : one), from('198.51.100.77'))).status).toBe(302);
    // To the process that answered the click: its click writer stores the click first.
    const postback = await getJson(`${one.url}/postback/${setup.networkId}?click_id=${clickId}`, from('198.51.100.77'));
    expect(postback).toMatchObject({ status: 200, body: { status: 'accepted' } });
    expect((await fetch(`${one.url}/health`)).status).toBe(200);
  });
});
