import { createHash } from 'node:crypto';
import { hashApiKey, newApiKey, sameHash } from './api-key';

describe('newApiKey', () => {
  it('is the prefix and 256 bits of URL-safe randomness', () => {
    const key = newApiKey('pw_admin');
    expect(key).toMatch(/^pw_admin_[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(key.slice('pw_admin_'.length), 'base64url')).toHaveLength(32);
    expect(encodeURIComponent(key)).toBe(key);
    expect(newApiKey('pw_net')).toMatch(/^pw_net_[A-Za-z0-9_-]{43}$/);
    expect(newApiKey('pw_worker')).toMatch(/^pw_worker_/);
  });

  it('does not repeat', () => {
    const keys = new Set(Array.from({ length: 10_000 }, () => newApiKey('pw_net')));
    expect(keys.size).toBe(10_000);
  });

  it('refuses prefixes that would make keys ambiguous or unsafe in URLs', () => {
    for (const prefix of ['', 'PW', 'pw admin', 'pw/x', '_pw', 'pw-x', 'x'.repeat(33)]) {
      expect(() => newApiKey(prefix)).toThrow(TypeError);
    }
  });
});

describe('hashApiKey', () => {
  it('is the sha256 hex of the key', () => {
    expect(hashApiKey('pw_admin_abc')).toBe(createHash('sha256').update('pw_admin_abc').digest('hex'));
    expect(hashApiKey('pw_admin_abc')).toMatch(/^[0-9a-f]{64}$/);
    expect(hashApiKey('pw_admin_abd')).not.toBe(hashApiKey('pw_admin_abc'));
  });
});

describe('sameHash', () => {
  it('is true only for equal hashes', () => {
    const key = newApiKey('pw_admin');
    expect(sameHash(hashApiKey(key), hashApiKey(key))).toBe(true);
    expect(sameHash(hashApiKey(key), hashApiKey(`${key}x`))).toBe(false);
    expect(sameHash(hashApiKey(key), hashApiKey(key).slice(1))).toBe(false);
    expect(sameHash(hashApiKey(key), '')).toBe(false);
    expect(sameHash(hashApiKey(key), hashApiKey(key).toUpperCase())).toBe(false);
  });
});
