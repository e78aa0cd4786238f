import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { type AdapterRequest, BadParameterError, BadSignatureError, buildAdapterRequest, checkConfig } from '@postwire/plugin-sdk';
import { postbacksOf, runAdapterConformance, thrownBy } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { digistore24Adapter, formFields, postbacksFromIpn } from './digistore24.adapter';
import { digistoreSignature, signatureMatches } from './digistore24.signature';

const generator = require('./fixtures/make-fixtures.js') as {
  PASSPHRASE: string;
  buildFixtures(): Array<{ file: string; fixture: unknown }>;
  sign(fields: Record<string, string>, passphrase: string, upperCaseKeys?: boolean): string;
};
const PASSPHRASE = generator.PASSPHRASE;
const config = { passphrase: PASSPHRASE, clickIdField: 'click_id', payoutField: 'amount_affiliate' };
const settings = { clickIdField: 'click_id', payoutField: 'amount_affiliate' };
const CLICK_ID = '01jbq3x7tm9c4kz2v8w5r6n0hdaepg';

runAdapterConformance(digistore24Adapter, { fixturesDir: join(__dirname, 'fixtures'), config: { passphrase: PASSPHRASE } });

function payment(overrides: Record<string, string> = {}): Record<string, string> {
  return {
    amount: '37.00',
    amount_affiliate: '15.85',
    amount_vendor: '11.55',
    api_mode: 'live',
    billing_type: 'single_payment',
    campaignkey: 'push_de',
    click_id: CLICK_ID,
    currency: 'EUR',
    custom: '',
    email: 'max.mustermann@example.com',
    address_first_name: 'Max',
    event: 'on_payment',
    order_id: 'RJXCW823',
    parent_transaction_id: '',
    pay_sequence_no: '0',
    product_id: '237460',
    product_name: 'Glück & Erfolg + 10% Bonus',
    transaction_id: '23650507',
    transaction_type: 'payment',
    ...overrides,
  };
}

function formRequest(fields: Record<string, string>, contentType: string | null = 'application/x-www-form-urlencoded'): AdapterRequest {
  return buildAdapterRequest({
    method: 'POST',
    path: '/postback/digistore24',
    contentType: contentType ?? undefined,
    body: new URLSearchParams(Object.entries(fields)).toString(),
  });
}

function signedRequest(fields: Record<string, string>, passphrase = PASSPHRASE): AdapterRequest {
  return formRequest({ ...fields, sha_sign: digistoreSignature(fields, passphrase) });
}

async function verifyError(request: AdapterRequest, cfg = config): Promise<unknown> {
  return Promise.resolve()
    .then(() => digistore24Adapter.verify!(request, cfg))
    .then(
      () => undefined,
      (e: unknown) => e,
    );
}

describe('digistore24 sha_sign', () => {
  it('matches a digest computed outside node (sha512sum over the documented string)', () => {
    // printf '%s' 'amount=37.00secretevent=on_paymentsecretproduct_name=Demo & Co äsecret' | sha512sum
    const fields = { event: 'on_payment', product_name: 'Demo & Co ä', amount: '37.00', custom: '' };
    expect(digistoreSignature(fields, 'secret')).toBe(
      'CFF39647CF1E10082C8C2281CC046AAF89AA72ADDA7E5B54BA29D8B69FE4D085963D90C4BB54EE1462CDFC8BDE3D968D53BBD65BA198878692FE1885479566EC',
    );
    // Same with upper-cased names: 'AMOUNT=37.00secretEVENT=on_paymentsecretPRODUCT_NAME=Demo & Co äsecret'
    expect(digistoreSignature(fields, 'secret', true)).toBe(
      '9F50C0264605EFEA57048EB91334D16F9AAC68B06F4457E1E4C24FAE6A679A914B9676301623B19F9DFD2E5C535233AAD615C2AD96F1DE04868675036806A56C',
    );
  });

  const sha512 = (text: string) => createHash('sha512').update(text, 'utf8').digest('hex').toUpperCase();

  it('sorts names byte-wise (upper case before lower case), as PHP SORT_STRING does', () => {
    // '_' (0x5F) sorts after 'B' (0x42) and before 'a' (0x61).
    expect(digistoreSignature({ b: '1', a: '2', B: '3', _x: '4' }, 'p')).toBe(sha512('B=3p_x=4pa=2pb=1p'));
  });

  it('skips empty values but keeps "0" and whitespace, and leaves sha_sign / SHASIGN out', () => {
    expect(digistoreSignature({ a: '', b: '0', c: ' ', sha_sign: 'X', SHASIGN: 'Y' }, 'p')).toBe(sha512('b=0pc= p'));
  });

  it("agrees with the fixture generator's separate implementation on random fields", () => {
    const name = fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,14}$/);
    fc.assert(
      fc.property(
        fc.dictionary(name, fc.string({ maxLength: 20 }), { maxKeys: 12 }),
        fc.string({ minLength: 1, maxLength: 30 }),
        fc.boolean(),
        (fields, passphrase, upper) => {
          const plain: Record<string, string> = { ...fields };
          expect(digistoreSignature(plain, passphrase, upper)).toBe(generator.sign(plain, passphrase, upper));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('accepts lower-case hex and either key-case variant, and nothing else', () => {
    const fields = payment();
    expect(signatureMatches(fields, PASSPHRASE, digistoreSignature(fields, PASSPHRASE).toLowerCase())).toBe(true);
    expect(signatureMatches(fields, PASSPHRASE, digistoreSignature(fields, PASSPHRASE, true))).toBe(true);
    expect(signatureMatches(fields, PASSPHRASE, digistoreSignature(fields, 'other'))).toBe(false);
    expect(signatureMatches(fields, PASSPHRASE, 'ABC')).toBe(false);
    expect(signatureMatches(fields, PASSPHRASE, '')).toBe(false);
  });
});

describe('digistore24 verify', () => {
  it('accepts a correctly signed call', async () => {
    expect(await verifyError(signedRequest(payment()))).toBeUndefined();
  });

  it('accepts the signature in SHASIGN too', async () => {
    const fields = payment();
    expect(await verifyError(formRequest({ ...fields, SHASIGN: digistoreSignature(fields, PASSPHRASE) }))).toBeUndefined();
  });

  it('refuses a change to any signed field', async () => {
    const fields = payment();
    const sha = digistoreSignature(fields, PASSPHRASE);
    for (const name of Object.keys(fields)) {
      const changed = { ...fields, [name]: `${fields[name]}9`, sha_sign: sha };
      expect(await verifyError(formRequest(changed))).toBeInstanceOf(BadSignatureError);
    }
  });

  it('refuses an added non-empty field, and lets an added empty one pass as Digistore24 does', async () => {
    const fields = payment();
    const sha = digistoreSignature(fields, PASSPHRASE);
    expect(await verifyError(formRequest({ ...fields, injected: 'x', sha_sign: sha }))).toBeInstanceOf(BadSignatureError);
    expect(await verifyError(formRequest({ ...fields, injected: '', sha_sign: sha }))).toBeUndefined();
  });

  it.each([
    ['another passphrase', () => signedRequest(payment(), 'not-the-passphrase')],
    ['no sha_sign', () => formRequest(payment())],
    ['an empty sha_sign', () => formRequest({ ...payment(), sha_sign: '' })],
    ['the no-passphrase placeholder', () => formRequest({ ...payment(), sha_sign: 'no_signature_passphrase_provided' })],
  ])('refuses %s as a bad signature', async (_label, make) => {
    expect(await verifyError(make())).toBeInstanceOf(BadSignatureError);
  });

  it('tells the operator what to do about an unsigned connection', async () => {
    const error = await verifyError(formRequest({ ...payment(), sha_sign: 'no_signature_passphrase_provided' }));
    expect((error as Error).message).toMatch(/passphrase/);
  });
});

describe('digistore24 form body', () => {
  it('reads the raw body when no Content-Type let the tracker parse it', () => {
    const request = formRequest(payment(), null);
    expect(request.body).toBeUndefined();
    expect(formFields(request).product_name).toBe('Glück & Erfolg + 10% Bonus');
  });

  it('refuses a JSON body and nested values as bad parameters', () => {
    const json = buildAdapterRequest({ method: 'POST', path: '/p', contentType: 'application/json', body: '[1,2]' });
    expect(thrownBy(() => formFields(json), BadParameterError)).toBeInstanceOf(BadParameterError);
    const nested = buildAdapterRequest({ method: 'POST', path: '/p', contentType: 'application/json', body: '{"event":{"x":1}}' });
    expect(thrownBy(() => formFields(nested), BadParameterError).param).toBe('event');
  });

  it('refuses an empty POST as a bad parameter', () => {
    expect(thrownBy(() => formFields(buildAdapterRequest({ method: 'POST', path: '/p' })), BadParameterError)).toBeInstanceOf(BadParameterError);
  });
});

describe('digistore24 events', () => {
  it('maps on_payment to an approved sale', async () => {
    const request = signedRequest(payment());
    await digistore24Adapter.verify!(request, config);
    expect(digistore24Adapter.parse(request, config)).toEqual([
      {
        clickId: CLICK_ID,
        goal: 'sale',
        txid: '23650507',
        status: 'approved',
        payout: '15.85',
        revenue: '37',
        currency: 'EUR',
        extras: {
          event: 'on_payment',
          order_id: 'RJXCW823',
          product_id: '237460',
          transaction_type: 'payment',
          billing_type: 'single_payment',
          pay_sequence_no: '0',
          campaignkey: 'push_de',
          api_mode: 'live',
        },
      },
    ]);
  });

  it('keeps buyer data out of the postback', () => {
    expect(JSON.stringify(postbacksFromIpn(payment(), settings))).not.toMatch(/example\.com|Max/);
  });

  it.each([
    ['0', 'sale'],
    ['1', 'sale'],
    ['2', 'rebill'],
    ['12', 'rebill'],
    ['', 'sale'],
    ['two', 'sale'],
  ])('pay_sequence_no %p gives goal %s', (sequence, goal) => {
    expect(postbacksOf(postbacksFromIpn(payment({ pay_sequence_no: sequence }), settings))[0].goal).toBe(goal);
  });

  it('reads the click id and payout from the configured fields', () => {
    const [pb] = postbacksOf(postbacksFromIpn(payment({ click_id: '', custom: 'abc123' }), { clickIdField: 'custom', payoutField: 'amount_vendor' }));
    expect(pb).toMatchObject({ clickId: 'abc123', payout: '11.55' });
  });

  it('leaves a payment without a click id unattributed instead of refusing it', () => {
    const [pb] = postbacksOf(postbacksFromIpn(payment({ click_id: '' }), settings));
    expect(pb.clickId).toBeUndefined();
    expect(pb.txid).toBe('23650507');
  });

  it('falls back to amount_brutto when amount is absent', () => {
    const fields = payment({ amount_brutto: '40.00' });
    delete fields.amount;
    expect(postbacksOf(postbacksFromIpn(fields, settings))[0].revenue).toBe('40');
  });

  it.each(['on_refund', 'on_chargeback'])('maps %s to refunded for the parent transaction, without amounts', (event) => {
    const [pb] = postbacksOf(
      postbacksFromIpn(
        payment({ event, transaction_id: '23700001', parent_transaction_id: '23650507', amount: '-37.00', amount_affiliate: '-15.85' }),
        settings,
      ),
    );
    expect(pb).toMatchObject({ clickId: CLICK_ID, txid: '23650507', status: 'refunded', currency: 'EUR' });
    expect(pb.extras?.reversal_transaction_id).toBe('23700001');
    expect(pb.payout).toBeUndefined();
    expect(pb.revenue).toBeUndefined();
  });

  it("leaves txid out of a refund without parent_transaction_id rather than using the refund's own id", () => {
    const [pb] = postbacksOf(postbacksFromIpn(payment({ event: 'on_refund', transaction_id: '23700001' }), settings));
    expect(pb.txid).toBeUndefined();
    expect(pb.clickId).toBe(CLICK_ID);
  });

  it.each(['connection_test', 'on_payment_missed', 'payment_denial', 'on_rebill_cancelled', 'on_rebill_resumed', 'last_paid_day', 'on_affiliation'])(
    'acknowledges %s without a conversion',
    (event) => {
      expect(postbacksFromIpn({ event }, settings)).toEqual([]);
    },
  );

  it('returns an unknown event as ignored, naming it', () => {
    expect(postbacksFromIpn(payment({ event: 'on_eticket_created' }), settings)).toEqual({ ignored: true, event: 'on_eticket_created' });
  });

  it.each([
    [{ event: '' }, 'event'],
    [{ transaction_id: ' ' }, 'transaction_id'],
    [{ amount_affiliate: '15,85' }, 'amount_affiliate'],
    [{ amount: '-1' }, 'amount'],
    [{ currency: 'EURO' }, 'currency'],
  ])('refuses %p naming %s', (overrides, param) => {
    expect(thrownBy(() => postbacksFromIpn(payment(overrides), settings), BadParameterError).param).toBe(param);
  });
});

describe('digistore24 plugin', () => {
  it('exports the adapter from its index', () => {
    expect(plugin.adapters).toEqual([digistore24Adapter]);
  });

  it('answers OK whatever Postwire made of the call, so Digistore24 does not retry', () => {
    for (const status of ['accepted', 'duplicate', 'rejected', 'unattributed'] as const) {
      expect(digistore24Adapter.respond!({ results: [{ status }] })).toEqual({ status: 200, contentType: 'text/plain', body: 'OK' });
    }
    expect(digistore24Adapter.respond!({ results: [] }).body).toBe('OK');
  });

  it('requires the passphrase, keeps it secret and defaults the field names', () => {
    expect(checkConfig(digistore24Adapter.configSchema, {})).toMatchObject({ ok: false });
    expect(checkConfig(digistore24Adapter.configSchema, { passphrase: 'x' })).toEqual({
      ok: true,
      value: { passphrase: 'x', clickIdField: 'click_id', payoutField: 'amount_affiliate' },
    });
    expect(digistore24Adapter.configSchema.passphrase.secret).toBe(true);
  });

  it('gives the bare postback URL for the IPN connection', () => {
    expect(digistore24Adapter.postbackUrlTemplate('https://t.example/', { id: 'n1', slug: 'ds24' })).toBe('https://t.example/postback/ds24');
  });

  it('ships fixtures that make-fixtures.js reproduces byte for byte', () => {
    const built = generator.buildFixtures();
    expect(built.length).toBeGreaterThanOrEqual(10);
    for (const { file, fixture } of built) {
      expect(readFileSync(join(__dirname, 'fixtures', file), 'utf8')).toBe(`${JSON.stringify(fixture, null, 2)}\n`);
    }
  });
});
