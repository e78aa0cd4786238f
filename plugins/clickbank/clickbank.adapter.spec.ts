import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { AdapterError, type AdapterRequest, BadParameterError, BadSignatureError, buildAdapterRequest } from '@postwire/plugin-sdk';
import { postbacksOf, runAdapterConformance, thrownBy } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { clickIdFrom, clickbankAdapter, postbacksFromNotification } from './clickbank.adapter';
import { decryptNotification, insKey } from './clickbank.crypto';

const generator = require('./fixtures/make-fixtures.js') as {
  SECRET_KEY: string;
  buildFixtures(): Array<{ file: string; fixture: unknown }>;
};
const SECRET = generator.SECRET_KEY;
const config = { secretKey: SECRET };
const CLICK_ID = '01jbq3x7tm9c4kz2v8w5r6n0hdaepg';

function encryptWith(plaintext: string | Buffer, secretKey = SECRET, iv = randomBytes(16)): { notification: string; iv: string } {
  const cipher = createCipheriv('aes-256-cbc', insKey(secretKey), iv);
  const data = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : plaintext;
  return { notification: Buffer.concat([cipher.update(data), cipher.final()]).toString('base64'), iv: iv.toString('base64') };
}

function insRequest(envelope: unknown, contentType: string | null = 'application/json'): AdapterRequest {
  return buildAdapterRequest({ method: 'POST', path: '/postback/clickbank', contentType: contentType ?? undefined, body: JSON.stringify(envelope) });
}

function sale(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    transactionTime: '2024-06-05T13:47:51-06:00',
    receipt: 'K4ZTQ9WE',
    transactionType: 'SALE',
    vendor: 'acmevendor',
    affiliate: 'postwireaff',
    role: 'AFFILIATE',
    totalAccountAmount: 33.6,
    totalOrderAmount: 47,
    currency: 'USD',
    trackingCodes: [CLICK_ID],
    lineItems: [{ itemNo: '1', accountAmount: 33.6 }],
    customer: { billing: { email: 'buyer@example.com', fullName: 'Test Buyer' } },
    version: 8.0,
    ...overrides,
  };
}

runAdapterConformance(clickbankAdapter, { fixturesDir: join(__dirname, 'fixtures'), config });

async function run(request: AdapterRequest, secretKey = SECRET) {
  await clickbankAdapter.verify!(request, { secretKey });
  return clickbankAdapter.parse(request, { secretKey });
}

describe('clickbank INS key and decryption', () => {
  it('derives the key as ClickBank does: first 32 hex characters of SHA-1, as ASCII bytes', () => {
    // Digest from `printf POSTWIRETEST2024 | sha1sum`, independent of node:crypto.
    expect(insKey('POSTWIRETEST2024').toString('ascii')).toBe('02591e29d19a49f5ca5cfac6d4b611fd');
    expect(insKey('POSTWIRETEST2024')).toHaveLength(32);
  });

  it('decrypts a notification encrypted by the openssl command line (known answer)', () => {
    // printf '<json>' | openssl enc -aes-256-cbc -K hex(ascii key) -iv hex('0123456789ABCDEF') -base64 -A
    const notification =
      'H6FtStcbQvoXt43vaesWiyQnAtIH7T19f5Z/wPN59XT11J+S6NjYWqyN0LO0K6YqmUlxi3ktlZmXvs+Z3M2I5LB35FAa7pNWIuNhbZ3BRPqoMmbvh//DPzqQU4pvnFMrydNVrhHJX/NLYazz16fB7GjfuCvQBv9d58HQ+On9tWtGFBeGT7Eoi1STELUaz8QKLnKIh6kgeEhASju4nNNENlxNMCqlFbrw8dvzOa0Du7fR2+rMGpE99qs4M1Soh+we';
    const decrypted = decryptNotification(notification, 'MDEyMzQ1Njc4OUFCQ0RFRg==', 'POSTWIRETEST2024');
    expect(decrypted).toEqual({
      transactionTime: '2024-01-01T00:00:00-07:00',
      receipt: 'ABCD1234',
      transactionType: 'SALE',
      totalAccountAmount: 1.5,
      totalOrderAmount: 2,
      currency: 'USD',
      trackingCodes: ['kat'],
    });
  });

  it("tolerates the NUL and whitespace padding ClickBank's PHP sample trims", () => {
    const envelope = encryptWith(`\n${JSON.stringify(sale())}\0\0\0 `);
    expect(decryptNotification(envelope.notification, envelope.iv, SECRET).receipt).toBe('K4ZTQ9WE');
  });

  it('accepts base64 wrapped at 76 characters', () => {
    const envelope = encryptWith(JSON.stringify(sale()));
    const wrapped = envelope.notification.replace(/(.{76})/g, '$1\r\n');
    expect(wrapped).toContain('\r\n');
    expect(decryptNotification(wrapped, envelope.iv, SECRET).receipt).toBe('K4ZTQ9WE');
  });

  it.each([
    ['a wrong key', () => encryptWith(JSON.stringify(sale()), 'ANOTHERKEY123456')],
    ['a plaintext that is not JSON', () => encryptWith('hello, this is not json at all')],
    ['a JSON array', () => encryptWith('[1,2,3]')],
    ['JSON without transactionTime', () => encryptWith(JSON.stringify({ transactionType: 'SALE', receipt: 'X' }))],
    ['JSON without transactionType', () => encryptWith(JSON.stringify({ transactionTime: '2024-01-01', receipt: 'X' }))],
    ['invalid UTF-8', () => encryptWith(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['an IV that is not 16 bytes', () => ({ ...encryptWith(JSON.stringify(sale())), iv: Buffer.alloc(8).toString('base64') })],
    ['a notification that is not base64', () => ({ ...encryptWith(JSON.stringify(sale())), notification: 'not*base64!' })],
    ['an IV that is not base64', () => ({ ...encryptWith(JSON.stringify(sale())), iv: '%%%%' })],
    [
      'a ciphertext cut short',
      () => {
        const e = encryptWith(JSON.stringify(sale()));
        return { ...e, notification: Buffer.from(e.notification, 'base64').subarray(0, 40).toString('base64') };
      },
    ],
  ])('refuses %s with BadSignatureError from verify and parse', async (_label, make) => {
    const request = insRequest(make());
    await expect(async () => clickbankAdapter.verify!(request, config)).rejects.toBeInstanceOf(BadSignatureError);
    await expect(async () => clickbankAdapter.parse(request, config)).rejects.toBeInstanceOf(BadSignatureError);
  });

  it('refuses every single-bit change of the IV (CBC has no MAC; the first block is checked)', () => {
    const iv = Buffer.from('0123456789ABCDEF', 'ascii');
    const envelope = encryptWith(JSON.stringify(sale()), SECRET, iv);
    let refused = 0;
    for (let byte = 0; byte < 16; byte++) {
      for (let bit = 0; bit < 8; bit++) {
        const changed = Buffer.from(iv);
        changed[byte] ^= 1 << bit;
        expect(thrownBy(() => decryptNotification(envelope.notification, changed.toString('base64'), SECRET), BadSignatureError)).toBeInstanceOf(
          BadSignatureError,
        );
        refused++;
      }
    }
    expect(refused).toBe(128);
  });

  it('refuses a flipped bit anywhere in the ciphertext', () => {
    const envelope = encryptWith(JSON.stringify(sale()));
    const bytes = Buffer.from(envelope.notification, 'base64');
    for (let i = 0; i < bytes.length; i++) {
      const changed = Buffer.from(bytes);
      changed[i] ^= 0x10;
      expect(thrownBy(() => decryptNotification(changed.toString('base64'), envelope.iv, SECRET), BadSignatureError)).toBeInstanceOf(BadSignatureError);
    }
  });

  it('never lets a raw crypto or JSON exception escape, whatever the envelope holds', async () => {
    await fc.assert(
      fc.asyncProperty(fc.base64String({ minLength: 0, maxLength: 200 }), fc.base64String({ minLength: 0, maxLength: 40 }), async (notification, iv) => {
        const error = await Promise.resolve()
          .then(() => run(insRequest({ notification, iv })))
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(AdapterError);
      }),
      { numRuns: 300 },
    );
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const request: AdapterRequest = { method: 'POST', path: '/postback/clickbank', query: {}, headers: {}, rawBody: Buffer.from(bytes), ip: '127.0.0.1' };
        const error = await Promise.resolve()
          .then(() => run(request))
          .then(
            () => undefined,
            (e: unknown) => e,
          );
        expect(error).toBeInstanceOf(AdapterError);
      }),
      { numRuns: 300 },
    );
  });
});

describe('clickbank INS envelope', () => {
  it.each([
    [[1, 2], 'body'],
    ['just a string', 'body'],
    [{ iv: 'MDEyMzQ1Njc4OUFCQ0RFRg==' }, 'notification'],
    [{ notification: 'AAAA', iv: 5 }, 'iv'],
    [{ notification: '', iv: 'MDEyMzQ1Njc4OUFCQ0RFRg==' }, 'notification'],
  ])('refuses the envelope %p naming %s', async (envelope, param) => {
    const error = await Promise.resolve()
      .then(() => clickbankAdapter.verify!(insRequest(envelope), config))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(error).toBeInstanceOf(BadParameterError);
    expect((error as BadParameterError).param).toBe(param);
  });

  it('reads the raw body when no Content-Type let the tracker parse it', async () => {
    const request = insRequest(encryptWith(JSON.stringify(sale())), null);
    expect(request.body).toBeUndefined();
    expect(await run(request)).toEqual([expect.objectContaining({ txid: 'K4ZTQ9WE', status: 'approved' })]);
  });

  it('refuses an empty POST as a bad parameter, not a crash', async () => {
    const request = buildAdapterRequest({ method: 'POST', path: '/postback/clickbank' });
    await expect(async () => run(request)).rejects.toBeInstanceOf(BadParameterError);
  });
});

describe('clickbank INS transaction types', () => {
  it('maps a SALE to an approved conversion with payout, revenue, currency and the click id', async () => {
    expect(await run(insRequest(encryptWith(JSON.stringify(sale()))))).toEqual([
      {
        clickId: CLICK_ID,
        goal: 'sale',
        txid: 'K4ZTQ9WE',
        status: 'approved',
        payout: '33.6',
        revenue: '47',
        currency: 'USD',
        extras: {
          transactionType: 'SALE',
          transactionTime: '2024-06-05T13:47:51-06:00',
          role: 'AFFILIATE',
          vendor: 'acmevendor',
          affiliate: 'postwireaff',
          version: '8',
          itemNo: '1',
        },
      },
    ]);
  });

  it('keeps customer data out of the postback', () => {
    expect(JSON.stringify(postbacksFromNotification(sale()))).not.toMatch(/example\.com|Test Buyer/);
  });

  it('maps BILL to an approved rebill with its own receipt', () => {
    const [pb] = postbacksOf(postbacksFromNotification(sale({ transactionType: 'BILL', receipt: 'K4ZTQ9WE-B003' })));
    expect(pb).toMatchObject({ goal: 'rebill', txid: 'K4ZTQ9WE-B003', status: 'approved', payout: '33.6' });
  });

  it.each(['RFND', 'CGBK', 'INSF'])('maps %s to refunded for the receipt, without the negative amounts', (type) => {
    const [pb] = postbacksOf(postbacksFromNotification(sale({ transactionType: type, totalAccountAmount: -33.6, totalOrderAmount: -47 })));
    expect(pb).toMatchObject({ clickId: CLICK_ID, txid: 'K4ZTQ9WE', status: 'refunded', currency: 'USD' });
    expect(pb.payout).toBeUndefined();
    expect(pb.revenue).toBeUndefined();
    expect(pb.goal).toBeUndefined();
  });

  it.each([
    'TEST',
    'TEST_SALE',
    'TEST_BILL',
    'TEST_RFND',
    'TEST_CGBK',
    'CANCEL-TEST-REBILL',
    'UNCANCEL-TEST-REBILL',
    'CANCEL-REBILL',
    'UNCANCEL-REBILL',
    'SUBSCRIPTION-CHG',
    'ABANDONED_ORDER',
    'CUSTOMER_AUTH_FAILURE',
    'CUSTOMER_EMAIL_UPDATE',
    'CUSTOMER_UPDATE_CC_NOTIFICATION',
    'PURCHASE_DETAILS_EMAIL_RESPONSE',
  ])('acknowledges %s without a conversion', (type) => {
    // No receipt: a test ping must not be refused for lacking one.
    expect(postbacksFromNotification(sale({ transactionType: type, receipt: undefined }))).toEqual([]);
  });

  it('refuses a notification object without a transaction type as a bad parameter', () => {
    expect(thrownBy(() => postbacksFromNotification(sale({ transactionType: 5 })), BadParameterError).param).toBe('transactionType');
  });

  it('reads the transaction type case-insensitively', () => {
    expect(postbacksOf(postbacksFromNotification(sale({ transactionType: ' sale ' })))[0].status).toBe('approved');
  });

  it('returns an unknown transaction type as ignored, naming it', () => {
    expect(postbacksFromNotification(sale({ transactionType: 'SALE-RB' }))).toEqual({ ignored: true, event: 'SALE-RB' });
  });

  it.each([
    [{ receipt: undefined }, 'receipt'],
    [{ receipt: 42 }, 'receipt'],
    [{ totalAccountAmount: 'lots' }, 'totalAccountAmount'],
    [{ totalAccountAmount: -1 }, 'totalAccountAmount'],
    [{ totalAccountAmount: { value: 1 } }, 'totalAccountAmount'],
    [{ totalOrderAmount: 1e21 }, 'totalOrderAmount'],
    [{ currency: 'XXQ' }, 'currency'],
    [{ currency: 840 }, 'currency'],
  ])('refuses a sale with %p naming %s', (overrides, param) => {
    expect(thrownBy(() => postbacksFromNotification(sale(overrides)), BadParameterError).param).toBe(param);
  });

  it('leaves a sale without tracking codes unattributed instead of refusing it', () => {
    const [pb] = postbacksOf(postbacksFromNotification(sale({ trackingCodes: [] })));
    expect(pb.clickId).toBeUndefined();
    expect(pb.txid).toBe('K4ZTQ9WE');
  });

  it('accepts amounts sent as strings', () => {
    expect(postbacksOf(postbacksFromNotification(sale({ totalAccountAmount: '12.30', totalOrderAmount: '20' })))[0]).toMatchObject({
      payout: '12.3',
      revenue: '20',
    });
  });
});

describe('clickbank tracking codes', () => {
  it('prefers a code shaped like a Postwire click id and lower-cases it', () => {
    expect(clickIdFrom(['VENDOR_1', CLICK_ID.toUpperCase()])).toBe(CLICK_ID);
  });

  it('falls back to the first code as given', () => {
    expect(clickIdFrom(['Legacy_42', 'other'])).toBe('Legacy_42');
  });

  it('has nothing to offer without codes', () => {
    expect(clickIdFrom([])).toBeUndefined();
  });

  it('accepts a single code sent as a string and ignores non-string entries', () => {
    expect(postbacksOf(postbacksFromNotification(sale({ trackingCodes: CLICK_ID })))[0].clickId).toBe(CLICK_ID);
    expect(postbacksOf(postbacksFromNotification(sale({ trackingCodes: [7, null, ' abc '] })))[0].clickId).toBe('abc');
  });
});

describe('clickbank plugin', () => {
  it('exports the adapter from its index', () => {
    expect(plugin.adapters).toEqual([clickbankAdapter]);
  });

  it('requires the secret key and keeps it secret', () => {
    expect(clickbankAdapter.configSchema.secretKey).toMatchObject({ type: 'string', required: true, secret: true });
  });

  it('gives the bare postback URL, since INS has no macros', () => {
    expect(clickbankAdapter.postbackUrlTemplate('https://t.example/', { id: 'n1', slug: 'cb' })).toBe('https://t.example/postback/cb');
  });

  it('ships fixtures that make-fixtures.js reproduces byte for byte', () => {
    const built = generator.buildFixtures();
    expect(built.length).toBeGreaterThanOrEqual(10);
    for (const { file, fixture } of built) {
      const onDisk = readFileSync(join(__dirname, 'fixtures', file), 'utf8');
      expect(onDisk).toBe(`${JSON.stringify(fixture, null, 2)}\n`);
    }
  });
});
