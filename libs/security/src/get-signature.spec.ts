import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { canonicalGetString, signGet, verifyGetSignature } from './get-signature';

// The worked example of docs/signing.md; the same numbers must appear there.
const EXAMPLE = {
  secret: 'example-secret-do-not-use',
  path: '/postback/acme',
  query: { click_id: 'abc123', payout: '1.50', status: 'approved', note: 'Zürich sale/50% (fall)', ts: '1700000000' },
  canonical: 'GET\n/postback/acme\nclick_id=abc123&note=Z%C3%BCrich%20sale%2F50%25%20(fall)&payout=1.50&status=approved&ts=1700000000',
  sig: '2b3e04a16c089e3f9dbad3dd3d028ccc9268c83fda0b9563297cb48f4df98476',
};
const NOW = new Date(1_700_000_100_000);

function verify(query: Record<string, string>, overrides: Partial<Parameters<typeof verifyGetSignature>[0]> = {}) {
  return verifyGetSignature({ method: 'GET', path: EXAMPLE.path, query, secrets: [EXAMPLE.secret], now: NOW, ...overrides });
}

describe('canonicalGetString', () => {
  it('builds METHOD, PATH and the sorted, encoded query without sig', () => {
    expect(canonicalGetString('get', EXAMPLE.path, { ...EXAMPLE.query, sig: 'ignored' })).toBe(EXAMPLE.canonical);
  });

  it('sorts by encoded key, so every language agrees', () => {
    // 'a-b' < 'a_b' < 'b' as ASCII; the pair strings "a=..." would sort differently ("a-b=" < "a=").
    expect(canonicalGetString('GET', '/', { b: '1', a_b: '2', 'a-b': '3', a: '4' })).toBe('GET\n/\na=4&a-b=3&a_b=2&b=1');
    // U+FF61 (one UTF-16 unit) vs U+1F600 (surrogate pair): raw UTF-16 order and code point order disagree,
    // the encoded forms (%EF... vs %F0...) do not.
    expect(canonicalGetString('GET', '/', { '\u{1F600}': '1', '\uFF61': '2' })).toBe('GET\n/\n%EF%BD%A1=2&%F0%9F%98%80=1');
  });

  it('encodes keys and values exactly like encodeURIComponent', () => {
    expect(canonicalGetString('GET', '/p', { 'k y': "a+b=c&d!'()*~" })).toBe("GET\n/p\nk%20y=a%2Bb%3Dc%26d!'()*~");
    expect(canonicalGetString('GET', '/p', {})).toBe('GET\n/p\n');
  });

  it('refuses repeated parameters and a path with a query string', () => {
    expect(() => canonicalGetString('GET', '/p', { a: ['1', '2'] } as unknown as Record<string, string>)).toThrow(/"a"/);
    expect(() => canonicalGetString('GET', '/p?a=1', {})).toThrow(/query string/);
  });
});

describe('signGet', () => {
  it('produces the documented example signature', () => {
    expect(signGet(EXAMPLE.secret, 'GET', EXAMPLE.path, EXAMPLE.query)).toBe(EXAMPLE.sig);
  });

  it('docs/signing.md shows the same example', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/signing.md'), 'utf8');
    expect(doc).toContain(EXAMPLE.sig);
    expect(doc).toContain(EXAMPLE.secret);
    expect(doc).toContain(EXAMPLE.query.note);
    expect(doc).toContain('click_id=abc123&note=Z%C3%BCrich%20sale%2F50%25%20(fall)&payout=1.50&status=approved&ts=1700000000');
  });

  it('the Node.js snippet of docs/signing.md prints the example signature and a URL that verifies', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/signing.md'), 'utf8');
    const snippet = [...doc.matchAll(/```js\n([\s\S]*?)```/g)][0][1];
    const [sig, url] = execFileSync(process.execPath, ['-e', snippet], { encoding: 'utf8' }).trim().split('\n');
    expect(sig).toBe(EXAMPLE.sig);
    const parsed = new URL(url);
    const query = Object.fromEntries(parsed.searchParams);
    expect(query).toEqual({ ...EXAMPLE.query, sig: EXAMPLE.sig });
    expect(verify(query, { path: parsed.pathname })).toEqual({ ok: true, signature: EXAMPLE.sig });
  });

  it('requires ts and a non-empty secret', () => {
    expect(() => signGet(EXAMPLE.secret, 'GET', '/', { a: '1' })).toThrow(/ts/);
    expect(() => signGet('', 'GET', '/', { ts: '1' })).toThrow(/secret/);
  });
});

describe('verifyGetSignature', () => {
  const signed = { ...EXAMPLE.query, sig: EXAMPLE.sig };

  it('accepts the example and returns the canonical signature', () => {
    expect(verify(signed)).toEqual({ ok: true, signature: EXAMPLE.sig });
    expect(verify({ ...signed, sig: EXAMPLE.sig.toUpperCase() })).toEqual({ ok: true, signature: EXAMPLE.sig });
  });

  it('accepts any of several secrets (rotation)', () => {
    expect(verify(signed, { secrets: ['new-secret', EXAMPLE.secret] }).ok).toBe(true);
    expect(verify(signed, { secrets: ['new-secret'] })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(signed, { secrets: [] })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a tampered value, an added or removed parameter, another path or method', () => {
    expect(verify({ ...signed, payout: '150.00' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ ...signed, extra: '1' })).toEqual({ ok: false, reason: 'bad_signature' });
    const { status: _status, ...withoutStatus } = signed;
    expect(verify(withoutStatus)).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(signed, { path: '/postback/other' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify(signed, { method: 'POST' })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses malformed signatures without throwing', () => {
    for (const sig of [EXAMPLE.sig.slice(1), `${EXAMPLE.sig}00`, EXAMPLE.sig.replace(/^../, 'zz'), ` ${EXAMPLE.sig.slice(1)}`]) {
      expect(verify({ ...signed, sig })).toEqual({ ok: false, reason: 'bad_signature' });
    }
    expect(verify({ ...signed, note: '\uD800' })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ ...signed, note: ['a', 'b'] } as unknown as Record<string, string>)).toEqual({ ok: false, reason: 'bad_signature' });
    for (const name of ['sig', 'ts']) {
      const repeated = { ...signed, [name]: [signed[name as 'sig' | 'ts'], signed[name as 'sig' | 'ts']] };
      expect(verify(repeated as unknown as Record<string, string>)).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('reports a missing sig or ts', () => {
    expect(verify(EXAMPLE.query)).toEqual({ ok: false, reason: 'missing_signature' });
    expect(verify({ ...signed, sig: '' })).toEqual({ ok: false, reason: 'missing_signature' });
    const { ts: _ts, ...withoutTs } = signed;
    expect(verify(withoutTs)).toEqual({ ok: false, reason: 'missing_signature' });
  });

  it('accepts timestamps within the tolerance in both directions and refuses others', () => {
    const at = (nowSec: number, toleranceSec?: number) => verify(signed, { now: new Date(nowSec * 1000), toleranceSec });
    expect(at(1_700_000_300).ok).toBe(true);
    expect(at(1_699_999_700).ok).toBe(true);
    expect(at(1_700_000_301)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(at(1_699_999_699)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(at(1_700_000_031, 30)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(at(1_700_000_030, 30).ok).toBe(true);
  });

  it('reports stale_timestamp only for a correctly signed request', () => {
    const old = { ...EXAMPLE.query, ts: '1600000000' };
    expect(verify({ ...old, sig: signGet(EXAMPLE.secret, 'GET', EXAMPLE.path, old) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(verify({ ...old, sig: EXAMPLE.sig })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a correctly signed ts that is not plain decimal digits', () => {
    for (const ts of ['1.7e9', '0x6553f100', ' 1700000000', '-1700000000']) {
      const query = { ...EXAMPLE.query, ts };
      expect(verify({ ...query, sig: signGet(EXAMPLE.secret, 'GET', EXAMPLE.path, query) })).toEqual({ ok: false, reason: 'stale_timestamp' });
    }
  });

  it('round-trips any parameters, and any change to a value breaks it (property)', () => {
    const key = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }).filter((k) => k !== 'sig' && k !== 'ts');
    fc.assert(
      fc.property(fc.dictionary(key, fc.string({ unit: 'grapheme', maxLength: 30 }), { minKeys: 1 }), fc.string({ unit: 'grapheme' }), (params, other) => {
        const query = { ...params, ts: '1700000000' };
        const sig = signGet(EXAMPLE.secret, 'GET', EXAMPLE.path, query);
        if (!verify({ ...query, sig }).ok) return false;
        const victim = Object.keys(params)[0];
        if (other === params[victim]) return true;
        return verify({ ...query, [victim]: other, sig }).ok === false;
      }),
    );
  });
});
