import { createHmac } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { Webhook } from 'standardwebhooks';
import { newWebhookSecret, signWebhook, verifyWebhook, VerifyWebhookInput } from './webhook-signature';

// The worked example of docs/signing.md.
const EXAMPLE = {
  secret: 'whsec_cG9zdHdpcmUtZXhhbXBsZS1zZWNyZXQh',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1_700_000_000,
  body: '{"click_id":"abc123","payout":"1.50","status":"approved"}',
  signature: 'v1,XqG1d52Rc1zsfYmxNfnn8TkUCd2LOZuCt+c4RWWJgYs=',
};
const NOW = new Date(1_700_000_100_000);
const headers = signWebhook(EXAMPLE.secret, EXAMPLE.id, EXAMPLE.timestamp, EXAMPLE.body);

function verify(overrides: Partial<VerifyWebhookInput> = {}) {
  return verifyWebhook({ headers: { ...headers }, rawBody: EXAMPLE.body, secrets: [EXAMPLE.secret], now: NOW, ...overrides });
}

describe('signWebhook', () => {
  it('produces the documented example headers', () => {
    expect(headers).toEqual({
      'webhook-id': EXAMPLE.id,
      'webhook-timestamp': '1700000000',
      'webhook-signature': EXAMPLE.signature,
    });
  });

  it('docs/signing.md shows the same example', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/signing.md'), 'utf8');
    for (const value of [EXAMPLE.secret, EXAMPLE.id, EXAMPLE.body, EXAMPLE.signature]) expect(doc).toContain(value);
  });

  it('the Node.js snippet of docs/signing.md prints the example signature', () => {
    const doc = readFileSync(join(__dirname, '../../../docs/signing.md'), 'utf8');
    const snippet = [...doc.matchAll(/```js\n([\s\S]*?)```/g)][1][1];
    expect(execFileSync(process.execPath, ['-e', snippet], { encoding: 'utf8' }).trim()).toBe(EXAMPLE.signature);
  });

  it('agrees with the standardwebhooks reference library (property)', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 64 }),
        fc.string({ minLength: 1 }),
        fc.nat({ max: 4_000_000_000 }),
        fc.string({ unit: 'grapheme' }),
        (key, id, ts, body) => {
          const secret = `whsec_${Buffer.from(key).toString('base64')}`;
          return signWebhook(secret, id, ts, body)['webhook-signature'] === new Webhook(secret).sign(id, new Date(ts * 1000), body);
        },
      ),
    );
  });

  it('is accepted by the reference library', () => {
    const now = Math.floor(Date.now() / 1000);
    const live = signWebhook(EXAMPLE.secret, EXAMPLE.id, now, EXAMPLE.body);
    expect(new Webhook(EXAMPLE.secret).verify(EXAMPLE.body, { ...live })).toEqual(JSON.parse(EXAMPLE.body));
    expect(() => new Webhook(newWebhookSecret()).verify(EXAMPLE.body, { ...live })).toThrow();
  });

  it('signs the raw bytes of a body that is not UTF-8', () => {
    const bytes = Buffer.from([0x7b, 0xff, 0xfe, 0x7d]);
    const signed = signWebhook(EXAMPLE.secret, EXAMPLE.id, EXAMPLE.timestamp, bytes);
    expect(signed['webhook-signature']).not.toBe(signWebhook(EXAMPLE.secret, EXAMPLE.id, EXAMPLE.timestamp, bytes.toString())['webhook-signature']);
    expect(verify({ headers: { ...signed }, rawBody: bytes }).ok).toBe(true);
    expect(verify({ headers: { ...signed }, rawBody: bytes.toString() }).ok).toBe(false);
  });

  it('refuses malformed secrets without echoing them', () => {
    for (const secret of ['cG9zdHdpcmU=', 'whsec_', 'whsec_not base64!', 'whsec_abc']) {
      expect(() => signWebhook(secret, 'id', 1, 'x')).toThrow('webhook secret must be "whsec_" followed by standard base64');
    }
    expect(() => signWebhook(EXAMPLE.secret, 'id', 1.5, 'x')).toThrow(/timestampSec/);
  });
});

describe('newWebhookSecret', () => {
  it('is whsec_ plus base64 of 24 random bytes, usable for signing', () => {
    const secret = newWebhookSecret();
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{32}$/);
    expect(Buffer.from(secret.slice(6), 'base64')).toHaveLength(24);
    expect(newWebhookSecret()).not.toBe(secret);
    expect(() => signWebhook(secret, 'id', 1, 'x')).not.toThrow();
  });
});

describe('verifyWebhook', () => {
  it('accepts the example and returns the canonical signature', () => {
    expect(verify()).toEqual({ ok: true, signature: EXAMPLE.signature.slice(3) });
    expect(verify({ rawBody: Buffer.from(EXAMPLE.body) }).ok).toBe(true);
  });

  it('accepts what the reference library signed', () => {
    const signature = new Webhook(EXAMPLE.secret).sign(EXAMPLE.id, new Date(EXAMPLE.timestamp * 1000), EXAMPLE.body);
    expect(verify({ headers: { ...headers, 'webhook-signature': signature } }).ok).toBe(true);
  });

  it('matches header names case-insensitively', () => {
    const mixed = { 'Webhook-Id': EXAMPLE.id, 'WEBHOOK-TIMESTAMP': '1700000000', 'webhook-Signature': EXAMPLE.signature };
    expect(verify({ headers: mixed }).ok).toBe(true);
  });

  it('accepts any entry of a space-separated list, ignoring other versions and junk', () => {
    const other = signWebhook(newWebhookSecret(), EXAMPLE.id, EXAMPLE.timestamp, EXAMPLE.body)['webhook-signature'];
    for (const list of [`${other} ${EXAMPLE.signature}`, `v1a,abc ${EXAMPLE.signature}`, `junk  ${EXAMPLE.signature} v2,xyz`]) {
      expect(verify({ headers: { ...headers, 'webhook-signature': list } }).ok).toBe(true);
    }
    expect(verify({ headers: { ...headers, 'webhook-signature': other } })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ headers: { ...headers, 'webhook-signature': EXAMPLE.signature.replace('v1,', 'v2,') } })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts any of several secrets (rotation)', () => {
    expect(verify({ secrets: [newWebhookSecret(), EXAMPLE.secret] }).ok).toBe(true);
    expect(verify({ secrets: [newWebhookSecret()] })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ secrets: [] })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses a tampered body, id or timestamp', () => {
    expect(verify({ rawBody: EXAMPLE.body.replace('1.50', '150') })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ rawBody: `${EXAMPLE.body} ` })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ headers: { ...headers, 'webhook-id': 'msg_other' } })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ headers: { ...headers, 'webhook-timestamp': '1700000001' } })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('refuses signatures with junk that lenient base64 decoding would skip', () => {
    const b64 = EXAMPLE.signature.slice(3);
    for (const sig of [`v1,${b64.slice(0, 10)}!${b64.slice(10)}`, `v1,${b64.replace('=', '')}`, `v1,${b64}=`, `v1,${b64.slice(1)}`]) {
      expect(verify({ headers: { ...headers, 'webhook-signature': sig } })).toEqual({ ok: false, reason: 'bad_signature' });
    }
  });

  it('reports missing headers', () => {
    for (const name of ['webhook-id', 'webhook-timestamp', 'webhook-signature'] as const) {
      const partial: Record<string, string | undefined> = { ...headers };
      delete partial[name];
      expect(verify({ headers: partial })).toEqual({ ok: false, reason: 'missing_signature' });
      expect(verify({ headers: { ...headers, [name]: '' } })).toEqual({ ok: false, reason: 'missing_signature' });
    }
  });

  it('refuses a header sent twice', () => {
    expect(verify({ headers: { ...headers, 'webhook-signature': [EXAMPLE.signature, EXAMPLE.signature] } })).toEqual({ ok: false, reason: 'bad_signature' });
    expect(verify({ headers: { ...headers, 'Webhook-Id': EXAMPLE.id } })).toEqual({ ok: false, reason: 'bad_signature' });
  });

  it('accepts timestamps within the tolerance in both directions, stale otherwise', () => {
    const at = (nowSec: number, toleranceSec?: number) => verify({ now: new Date(nowSec * 1000), toleranceSec });
    expect(at(1_700_000_300).ok).toBe(true);
    expect(at(1_699_999_700).ok).toBe(true);
    expect(at(1_700_000_301)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(at(1_699_999_699)).toEqual({ ok: false, reason: 'stale_timestamp' });
    expect(at(1_700_000_011, 10)).toEqual({ ok: false, reason: 'stale_timestamp' });
  });

  it('refuses a correctly signed timestamp that is not plain digits', () => {
    const key = Buffer.from(EXAMPLE.secret.slice('whsec_'.length), 'base64');
    for (const ts of ['1.7e9', '-5', ' 1700000000', '0x6553f100']) {
      const mac = createHmac('sha256', key).update(`${EXAMPLE.id}.${ts}.${EXAMPLE.body}`).digest('base64');
      const h = { 'webhook-id': EXAMPLE.id, 'webhook-timestamp': ts, 'webhook-signature': `v1,${mac}` };
      expect(verify({ headers: h })).toEqual({ ok: false, reason: 'stale_timestamp' });
    }
  });

  it('throws on a misconfigured secret instead of quietly refusing every request', () => {
    expect(() => verify({ secrets: ['plain-secret'] })).toThrow(/whsec_/);
  });
});
