import { createHash, randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import { REPLAY_KEY_PREFIX, RedisReplayStore, replayTtlSec } from './replay-guard';
import { waitUntil } from '../../../test/support/wait-until';

// Real Redis (127.0.0.1:6379), no mocks: NX/EX semantics are the point of the test.
const redis = new Redis('redis://127.0.0.1:6379', { lazyConnect: true, maxRetriesPerRequest: 1 });
const prefix = `${REPLAY_KEY_PREFIX}test:${randomBytes(6).toString('hex')}:`;
const store = new RedisReplayStore(redis, prefix);
const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
const defaultPrefixKeys: string[] = [];

beforeAll(() => redis.connect());

afterAll(async () => {
  const keys = await redis.keys(`${prefix}*`);
  if (keys.length + defaultPrefixKeys.length > 0) await redis.del(...keys, ...defaultPrefixKeys);
  await redis.quit();
});

describe('RedisReplayStore', () => {
  it('returns true the first time and false for a replay', async () => {
    expect(await store.remember('sig-a', 60)).toBe(true);
    expect(await store.remember('sig-a', 60)).toBe(false);
    expect(await store.remember('sig-b', 60)).toBe(true);
  });

  it('forgets a key on request, so the same request is first-seen again', async () => {
    expect(await store.remember('sig-forget', 60)).toBe(true);
    await store.forget('sig-forget');
    expect(await store.remember('sig-forget', 60)).toBe(true);
    expect(await store.remember('sig-forget', 60)).toBe(false);
  });

  it('stores sha256 of the key under the prefix, with the TTL', async () => {
    const signature = 'x'.repeat(10_000);
    await store.remember(signature, 120);
    const stored = prefix + sha256(signature);
    expect(await redis.get(stored)).toBe('1');
    const ttl = await redis.ttl(stored);
    expect(ttl).toBeGreaterThan(110);
    expect(ttl).toBeLessThanOrEqual(120);
    expect(await redis.exists(prefix + signature)).toBe(0);
  });

  it('uses postwire:replay: by default', async () => {
    const key = `default-prefix-${randomBytes(8).toString('hex')}`;
    defaultPrefixKeys.push(`postwire:replay:${sha256(key)}`);
    expect(await new RedisReplayStore(redis).remember(key, 30)).toBe(true);
    expect(await redis.exists(`postwire:replay:${sha256(key)}`)).toBe(1);
  });

  it('lets exactly one of many concurrent requests through', async () => {
    const results = await Promise.all(Array.from({ length: 25 }, () => store.remember('sig-race', 60)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('forgets a key after its TTL', async () => {
    expect(await store.remember('sig-short', 1)).toBe(true);
    expect(await store.remember('sig-short', 1)).toBe(false);
    await waitUntil(async () => (await redis.exists(prefix + sha256('sig-short'))) === 0, 5_000, 'the key to expire');
    expect(await store.remember('sig-short', 1)).toBe(true);
  });

  it('refuses a TTL that is not whole seconds ≥ 1', async () => {
    for (const ttl of [0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY]) {
      await expect(store.remember('sig-ttl', ttl)).rejects.toThrow(RangeError);
    }
    expect(await redis.exists(prefix + sha256('sig-ttl'))).toBe(0);
  });
});

describe('replayTtlSec', () => {
  it('covers the whole acceptance window of a timestamp', () => {
    expect(replayTtlSec(300)).toBe(601);
    expect(replayTtlSec(0.5)).toBe(3);
  });
});
