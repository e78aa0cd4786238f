import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { SecretBox, SecretBoxError } from './secret-box';

const HEX_KEY = '000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f';
const box = SecretBox.fromEnv(HEX_KEY);

describe('SecretBox.fromEnv', () => {
  it('accepts the same 32 bytes as hex, base64 and base64url', () => {
    const bytes = Buffer.from(HEX_KEY, 'hex');
    const sealed = box.seal('hello');
    for (const value of [HEX_KEY.toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), `  ${HEX_KEY}\n`]) {
      expect(SecretBox.fromEnv(value).open(sealed)).toBe('hello');
    }
  });

  it('refuses a missing or wrong-sized key without echoing it', () => {
    expect(() => SecretBox.fromEnv(undefined)).toThrow('SECRETS_KEY is not set');
    expect(() => SecretBox.fromEnv('  ')).toThrow('SECRETS_KEY is not set');
    const wrong = [HEX_KEY.slice(2), `${HEX_KEY}00`, randomBytes(31).toString('base64'), randomBytes(33).toString('base64'), 'correct horse battery staple'];
    for (const value of wrong) {
      let error: unknown;
      try {
        SecretBox.fromEnv(value);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(SecretBoxError);
      expect((error as Error).message).toMatch(/32 bytes/);
      expect((error as Error).message).not.toContain(value);
    }
  });
});

describe('SecretBox', () => {
  it('round-trips any string (property)', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 500 }), (plain) => box.open(box.seal(plain)) === plain));
  });

  it('produces v1:base64 of iv, tag and ciphertext, different every time', () => {
    const a = box.seal('secret');
    const b = box.seal('secret');
    expect(a).toMatch(/^v1:[A-Za-z0-9+/]+=*$/);
    expect(a).not.toBe(b);
    expect(Buffer.from(a.slice(3), 'base64')).toHaveLength(12 + 16 + 'secret'.length);
    expect(a).not.toContain('secret');
  });

  it('refuses to open with another key', () => {
    const other = SecretBox.fromEnv(randomBytes(32).toString('hex'));
    expect(() => other.open(box.seal('secret'))).toThrow(/SECRETS_KEY is wrong or the stored value was tampered with/);
  });

  it('detects tampering with any byte', () => {
    const sealed = box.seal('payout-secret');
    const bytes = Buffer.from(sealed.slice(3), 'base64');
    for (let i = 0; i < bytes.length; i++) {
      const altered = Buffer.from(bytes);
      altered[i] ^= 0x01;
      expect(() => box.open(`v1:${altered.toString('base64')}`)).toThrow(SecretBoxError);
    }
    expect(() => box.open(`v1:${bytes.subarray(0, bytes.length - 1).toString('base64')}`)).toThrow(SecretBoxError);
  });

  it('refuses unknown formats with a clear message', () => {
    expect(() => box.open('plain text')).toThrow('unknown format');
    expect(() => box.open('v2:AAAA')).toThrow('unknown format');
    expect(() => box.open('v1:not base64!')).toThrow('not valid base64');
    expect(() => box.open('v1:AAAA')).toThrow('truncated');
    expect(() => box.seal(42 as unknown as string)).toThrow(SecretBoxError);
  });
});
