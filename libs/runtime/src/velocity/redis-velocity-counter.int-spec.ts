import { randomBytes } from 'node:crypto';
import type { ClickToCount, ConversionToCount } from '@postwire/core';
import { Cluster, Redis } from 'ioredis';
import { RedisCluster } from '../../../../test/support/redis-cluster';
import { RedisServer } from '../../../../test/support/redis-server';
import { RedisVelocityCounter, type VelocityLog } from './redis-velocity-counter';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const ALL = { ip: true, ipUserAgent: true, subParams: ['sub2'] as const };
/** The start of a minute: the sliding window then holds this minute only. */
const MINUTE = new Date(Math.floor(Date.now() / 60_000) * 60_000);
const at = (ms: number) => new Date(MINUTE.getTime() + ms);

let n = 0;
function click(ip: string | undefined, over: Partial<ClickToCount> = {}): ClickToCount {
  return { id: `k${++n}`, campaignId: 'c1', ip, userAgent: CHROME, subs: { sub2: 'zone-1' }, count: ALL, ...over };
}
function conversion(clickId: string, ip: string, userAgent = CHROME, goal = ''): ConversionToCount {
  return { id: `cv${++n}`, identity: `${clickId}|${goal}`, clickId, ip, userAgent };
}
function quietLog(): VelocityLog & { lines: string[] } {
  const lines: string[] = [];
  return { lines, warn: (m) => lines.push(`warn: ${m}`), log: (m) => lines.push(`log: ${m}`) };
}

/** Real Redis (127.0.0.1:6379), each run under a prefix of its own. */
describe('RedisVelocityCounter on one Redis', () => {
  const redis = new Redis('redis://127.0.0.1:6379', { maxRetriesPerRequest: 1 });
  const prefix = `pwtest:vel:${randomBytes(6).toString('hex')}:`;
  const counter = new RedisVelocityCounter(redis, prefix, quietLog(), 2000);

  beforeAll(async () => {
    await redis.ping();
  });

  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('counts a burst from one IP click by click, across batches, so the 61st click in a minute is the 61st', async () => {
    const first = Array.from({ length: 40 }, () => click('198.51.100.1'));
    const second = Array.from({ length: 30 }, () => click('198.51.100.1'));
    const a = await counter.countClicks(first, at(1000));
    const b = await counter.countClicks(second, at(2000));
    expect(first.map((c) => a!.get(c.id)!.ip)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    expect(b!.get(second[20].id)).toEqual({ ip: 61, ipUserAgent: 61, subs: { sub2: 61 } });
    expect(b!.get(second[29].id)!.ip).toBe(70);
  });

  it('counts distinct IPs once each, and a device apart from its IP', async () => {
    const clicks = Array.from({ length: 500 }, (_, i) =>
      click(`192.0.2.${i % 250}`, { userAgent: `UA ${i}`, count: { ip: true, ipUserAgent: true, subParams: [] } }),
    );
    const counts = await counter.countClicks(clicks, at(3000));
    expect(clicks.slice(0, 250).every((c) => counts!.get(c.id)!.ip === 1)).toBe(true);
    expect(clicks.slice(250).every((c) => counts!.get(c.id)!.ip === 2)).toBe(true);
    expect(clicks.every((c) => counts!.get(c.id)!.ipUserAgent === 1)).toBe(true);
    expect(counts!.get(clicks[0].id)!.subs).toBeUndefined();
  });

  it('slides: the previous minute counts for the part of it still inside the window', async () => {
    const ip = '198.51.100.2';
    await counter.countClicks(
      Array.from({ length: 100 }, () => click(ip)),
      at(-30_000),
    );
    // 15 s into the next minute, 45 s of the previous one are still inside the window: 75 of its 100 clicks.
    const counts = await counter.countClicks([click(ip)], at(15_000));
    expect([...counts!.values()][0].ip).toBe(76);
  });

  it('counts only what the policy asks for, and nothing for a click without an IP', async () => {
    const none = click(undefined);
    const ipOnly = click('198.51.100.3', { count: { ip: true, ipUserAgent: false, subParams: [] } });
    const counts = await counter.countClicks([none, ipOnly], at(4000));
    expect(counts!.get(none.id)).toEqual({ subs: { sub2: expect.any(Number) } });
    expect(counts!.get(ipOnly.id)).toEqual({ ip: 1 });
  });

  it('lets every key expire: click minutes after two windows, conversion sets after theirs', async () => {
    await counter.countClicks([click('198.51.100.4')], at(5000));
    await counter.countConversions([conversion('k-exp', '198.51.100.4')], at(5000));
    const keys = await redis.keys(`${prefix}*`);
    expect(keys.length).toBeGreaterThan(0);
    const ttls = await Promise.all(keys.map((k) => redis.ttl(k)));
    for (const [i, key] of keys.entries()) {
      expect(ttls[i]).toBeGreaterThan(0);
      const bound = key.includes(':dup-') ? 86_410 : key.includes(':cv-ip:') ? 3610 : 130;
      expect(ttls[i]).toBeLessThanOrEqual(bound);
    }
  });

  it('counts conversions per IP, and converting clicks per IP and device: a click converting twice is one click', async () => {
    const ip = '203.0.113.9';
    const first = await counter.countConversions([conversion('click-a', ip)], at(6000));
    expect([...first!.values()][0]).toEqual({ ipConversions: 1, ipConvertingClicks: 1, deviceConvertingClicks: 1 });
    // The same click again (a repeated postback, a retried batch): nothing new. Another goal of it: a conversion, not a click.
    const again = await counter.countConversions([conversion('click-a', ip), conversion('click-a', ip, CHROME, 'upsell')], at(7000));
    expect([...again!.values()]).toEqual([
      { ipConversions: 1, ipConvertingClicks: 1, deviceConvertingClicks: 1 },
      { ipConversions: 2, ipConvertingClicks: 1, deviceConvertingClicks: 1 },
    ]);
    // Another click from the same device, and one from another device behind the same IP.
    const more = await counter.countConversions([conversion('click-b', ip), conversion('click-c', ip, 'Other/1.0')], at(8000));
    expect([...more!.values()]).toEqual([
      { ipConversions: 3, ipConvertingClicks: 2, deviceConvertingClicks: 2 },
      { ipConversions: 4, ipConvertingClicks: 3, deviceConvertingClicks: 1 },
    ]);
  });

  it('forgets conversions older than the window', async () => {
    const ip = '203.0.113.10';
    await counter.countConversions([conversion('old-1', ip), conversion('old-2', ip)], at(-2 * 3600_000));
    const now = await counter.countConversions([conversion('new-1', ip)], at(9000));
    expect([...now!.values()][0]).toEqual({ ipConversions: 1, ipConvertingClicks: 3, deviceConvertingClicks: 3 });
    // 23 h on, the two old ones (2 h before) are out of the 24 h window; new-1 is still in.
    const later = await counter.countConversions([conversion('new-2', ip)], at(23 * 3600_000));
    expect([...later!.values()][0]).toEqual({ ipConversions: 1, ipConvertingClicks: 2, deviceConvertingClicks: 2 });
  });
});

describe('RedisVelocityCounter when Redis is away or hung', () => {
  let server: RedisServer;
  let redis: Redis;

  beforeAll(async () => {
    server = await RedisServer.start();
    // As the tracker's producer connections are: no offline queue, so nothing waits for a Redis that is away.
    redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 1, retryStrategy: () => 100, lazyConnect: true });
    await redis.connect();
  });

  afterAll(async () => {
    server.resume();
    redis.disconnect();
    await server.down();
  });

  it('answers "no counts" within the timeout from a hung Redis, warns once, and says when it answers again', async () => {
    const log = quietLog();
    const counter = new RedisVelocityCounter(redis, 'pwtest:hung:', log, 50);
    expect(await counter.countClicks([click('198.51.100.9')], new Date())).toBeDefined();
    server.pause();
    try {
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        expect(await counter.countClicks([click('198.51.100.9')], new Date())).toBeUndefined();
        expect(await counter.countConversions([conversion('k', '198.51.100.9')], new Date())).toBeUndefined();
        expect(performance.now() - started).toBeLessThan(500);
      }
    } finally {
      server.resume();
    }
    expect(log.lines).toEqual([expect.stringMatching(/^warn: velocity counts unavailable \(no answer within 50 ms\)/)]);
    // The commands sent meanwhile still land once the server runs again; then counting goes on.
    await new Promise((r) => setTimeout(r, 200));
    expect(await counter.countClicks([click('198.51.100.9')], new Date())).toBeDefined();
    expect(log.lines[1]).toMatch(/^log: Redis answers again/);
  });

  it('sends nothing and answers "no counts" at once while Redis is down', async () => {
    const log = quietLog();
    const counter = new RedisVelocityCounter(redis, 'pwtest:down:', log, 50);
    await server.down();
    await new Promise((r) => setTimeout(r, 100));
    const started = performance.now();
    expect(await counter.countClicks([click('198.51.100.9')], new Date())).toBeUndefined();
    expect(performance.now() - started).toBeLessThan(20);
    expect(log.lines).toHaveLength(1);
  });
});

describe('RedisVelocityCounter on a Redis Cluster', () => {
  let cluster: RedisCluster;
  let redis: Cluster;

  beforeAll(async () => {
    cluster = await RedisCluster.start(3);
    redis = new Cluster(cluster.seeds.split(',').map((s) => ({ host: '127.0.0.1', port: Number(s.split(':')[1]) })));
    await redis.ping();
  }, 60_000);

  afterAll(async () => {
    await redis?.quit();
    await cluster?.stop();
  });

  it('counts a batch whose identities spread over every node, one pipeline per shard', async () => {
    const counter = new RedisVelocityCounter(redis, 'pw:vel:', quietLog(), 2000);
    const clicks = Array.from({ length: 300 }, (_, i) => click(`10.0.${i % 100}.1`));
    const counts = await counter.countClicks(clicks, at(1000));
    expect(counts).toBeDefined();
    expect(clicks.slice(200).every((c) => counts!.get(c.id)!.ip === 3)).toBe(true);
    const conversions = Array.from({ length: 100 }, (_, i) => conversion(`kc${i}`, `10.0.${i}.1`));
    const converted = await counter.countConversions(conversions, at(1000));
    expect([...converted!.values()].every((v) => v.ipConversions === 1 && v.deviceConvertingClicks === 1)).toBe(true);
    // The keys did land on several masters (the layout spreads, not only routes).
    const masters = new Set(await Promise.all(['{v0}', '{v21}', '{v42}', '{v63}'].map((tag) => cluster.masterOf(`pw:vel:${tag}:ip`))));
    expect(masters.size).toBeGreaterThan(1);
  });
});
