import { clickCounterKey, conversionSetKey, deviceIdentity, fnv1a, subIdentity, VELOCITY_SHARDS } from './velocity-keys';

/** What a Redis Cluster hashes to choose a key's slot: the first non-empty `{…}` in the key, else the whole key. */
function hashedPart(key: string): string {
  const open = key.indexOf('{');
  const close = open >= 0 ? key.indexOf('}', open + 1) : -1;
  return close > open + 1 ? key.slice(open + 1, close) : key;
}

describe('velocity key layout', () => {
  it('puts every key of one shard in one Redis Cluster slot (the hash tag), whatever its kind and minute', () => {
    const ip = '203.0.113.7';
    const a = clickCounterKey('pw:vel:', 'ip', ip, 29_000_000);
    const b = clickCounterKey('pw:vel:', 'ip', ip, 29_000_001);
    expect(a.shard).toBe(b.shard);
    expect(hashedPart(a.key)).toBe(hashedPart(b.key));
    const sameShard = conversionSetKey('pw:vel:', 'dup-ip', 'x');
    const other = Array.from({ length: 200 }, (_, i) => clickCounterKey('pw:vel:', 'ipua', `d${i}`, 1)).find((k) => k.shard === sameShard.shard)!;
    expect(hashedPart(other.key)).toBe(hashedPart(sameShard.key));
    expect(a.key).toMatch(/^pw:vel:\{v\d+\}:ip:29000000:\d+$/);
  });

  it('spreads identities over the shards evenly', () => {
    const counts = new Array<number>(VELOCITY_SHARDS).fill(0);
    for (let i = 0; i < 64_000; i++) counts[clickCounterKey('p:', 'ip', `10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`, 1).shard]++;
    expect(Math.min(...counts)).toBeGreaterThan(700);
    expect(Math.max(...counts)).toBeLessThan(1300);
  });

  it('digests devices and sub values to short fixed-size identities, told apart by every part', () => {
    expect(deviceIdentity('1.2.3.4', 'Mozilla/5.0 '.repeat(100))).toHaveLength(11);
    expect(deviceIdentity('1.2.3.4', 'a')).not.toBe(deviceIdentity('1.2.3.4', 'b'));
    expect(deviceIdentity('1.2.3.4', undefined)).toBe(deviceIdentity('1.2.3.4', ''));
    expect(subIdentity('c1', 'sub2', 'z')).not.toBe(subIdentity('c2', 'sub2', 'z'));
    expect(subIdentity('c1', 'sub2', 'z')).not.toBe(subIdentity('c1', 'sub3', 'z'));
    expect(fnv1a('a')).not.toBe(fnv1a('b'));
  });
});
