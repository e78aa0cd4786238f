import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { BadParameterError, BadSignatureError } from '../adapter-errors';
import type { AdapterRequest } from '../adapter-request';
import { canonicalFrom } from '../canonical-fields';
import { defineAdapter, type NetworkAdapter } from '../network-adapter';
import { ignoredEvent } from '../parse-result';
import { requestParams } from '../request-params';
import {
  type AdapterFixture,
  canonicalProblems,
  checkFixture,
  checkFixtureAnswer,
  checkFixtureResponse,
  checkPostbackUrlTemplate,
  checkRobustness,
  checkTamperRefused,
  edgeExamples,
  loadFixtures,
  resolveConfig,
  runAdapterConformance,
  tamperedRequest,
  trackerAnswer,
  requestFromFixture,
} from './index';

const CLICK = '01hq3v8x2c7n4p6r9t0w5y1z3a8b6d';

function hmac(secret: string, data: string | Buffer): string {
  return createHmac('sha256', secret).update(data).digest('hex');
}

function sameHex(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}

/** A small signed adapter, so the kit's tampering check runs against something real. */
const hmacAdapter = defineAdapter({
  id: 'kit-hmac',
  displayName: 'Kit test adapter',
  methods: ['GET', 'POST'],
  contentTypes: ['application/json'],
  configSchema: { secret: { type: 'string', title: 'Secret', description: 'shared secret', required: true, secret: true } },
  verify(request, config) {
    if (request.method === 'POST') {
      if (!sameHex(request.headers['x-signature'] ?? '', hmac(config.secret, request.rawBody))) throw new BadSignatureError();
      return;
    }
    const signed = Object.keys(request.query)
      .filter((k) => k !== 'sig')
      .sort()
      .map((k) => `${k}=${request.query[k]}`)
      .join('&');
    if (!sameHex(request.query.sig ?? '', hmac(config.secret, signed))) throw new BadSignatureError();
  },
  parse(request) {
    const params = requestParams(request);
    if (params.event !== undefined) return ignoredEvent(params.event.slice(0, 40));
    if (!params.click_id?.trim()) throw new BadParameterError('click_id', 'is required');
    return [canonicalFrom({ clickId: params.click_id, payout: params.amount, status: params.status }, { payout: 'amount' })];
  },
  respond() {
    return { body: 'OK' };
  },
  postbackUrlTemplate(trackerUrl, network) {
    return `${trackerUrl.replace(/\/+$/, '')}/postback/${network.slug}?click_id={click}&amount={amount}&sig={sig}`;
  },
});

runAdapterConformance(hmacAdapter, { fixturesDir: join(__dirname, 'test-fixtures', 'hmac'), config: { secret: 'kit-secret' }, robustnessRuns: 150 });

/** An unsigned adapter to vary in the failure tests below. */
function plainAdapter(overrides: Partial<NetworkAdapter> = {}): NetworkAdapter {
  return {
    id: 'plain',
    displayName: 'Plain',
    methods: ['GET'],
    configSchema: {},
    parse(request: AdapterRequest) {
      const clickId = request.query.click_id;
      if (!clickId?.trim()) throw new BadParameterError('click_id', 'is required');
      return [canonicalFrom({ clickId, payout: request.query.payout })];
    },
    postbackUrlTemplate: (trackerUrl: string, network) => `${trackerUrl.replace(/\/+$/, '')}/postback/${network.slug}?click_id={c}&payout={p}`,
    ...overrides,
  };
}

const okFixture: AdapterFixture = {
  name: 'ok',
  source: 'test',
  request: { method: 'GET', query: { click_id: CLICK, payout: '1.50' } },
  expect: [{ clickId: CLICK, payout: '1.5' }],
};

async function failure(promise: Promise<unknown> | (() => unknown)): Promise<string> {
  try {
    if (typeof promise === 'function') promise();
    else await promise;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
  throw new Error('expected the check to fail');
}

describe('loadFixtures', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'postwire-fixtures-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown) => writeFileSync(join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));

  it('reads only .json files, sorted by name', () => {
    write('b.json', okFixture);
    write('a.json', { ...okFixture, name: 'first' });
    write('notes.txt', 'ignored');
    expect(loadFixtures(dir).map((f) => [f.file, f.fixture.name])).toEqual([
      ['a.json', 'first'],
      ['b.json', 'ok'],
    ]);
  });

  it.each([
    ['no source', { ...okFixture, source: undefined }, 'source'],
    ['both expectations', { ...okFixture, expectError: 'bad_parameter' }, 'exactly one'],
    ['no expectation', { ...okFixture, expect: undefined }, 'exactly one'],
    ['an unknown key', { ...okFixture, expected: [] }, 'expected'],
    ['an unknown canonical field', { ...okFixture, expect: [{ click_id: CLICK }] }, 'click_id'],
    ['an unknown status', { ...okFixture, expect: [{ clickId: CLICK, status: 'sale' }] }, 'status'],
    ['an unknown error code', { ...okFixture, expect: undefined, expectError: 'oops' }, 'expectError'],
    ['an ignored event without its name', { ...okFixture, expect: { ignored: true } }, 'expect.event'],
    ['the retired unsupported_event error code', { ...okFixture, expect: undefined, expectError: 'unsupported_event' }, 'expectError'],
    ['a numeric query value', { ...okFixture, request: { method: 'GET', query: { payout: 1 } } }, 'payout'],
    ['a response without expect', { ...okFixture, expect: undefined, expectError: 'bad_parameter', response: { body: 'x' } }, 'response'],
  ])('refuses a fixture with %s', (_, content, mention) => {
    write('bad.json', content);
    expect(() => loadFixtures(dir)).toThrow(mention);
  });

  it('refuses a file that is not JSON, naming it', () => {
    write('broken.json', '{ "name": ');
    expect(() => loadFixtures(dir)).toThrow('broken.json');
  });

  it('refuses a missing folder', () => {
    expect(() => loadFixtures(join(dir, 'nope'))).toThrow('does not exist');
  });
});

describe('checkFixture', () => {
  it('passes when the adapter gives exactly the expected postbacks', async () => {
    await expect(checkFixture(plainAdapter(), okFixture)).resolves.toBeUndefined();
  });

  it('fails when the postbacks differ', async () => {
    await failure(checkFixture(plainAdapter(), { ...okFixture, expect: [{ clickId: CLICK, payout: '2' }] }));
  });

  it('fails when the adapter throws although postbacks were expected', async () => {
    expect(await failure(checkFixture(plainAdapter(), { ...okFixture, request: { method: 'GET' } }))).toContain('threw');
  });

  it('fails when the expected error does not come', async () => {
    expect(await failure(checkFixture(plainAdapter(), { ...okFixture, expect: undefined, expectError: 'bad_parameter' }))).toContain('returned');
  });

  it('fails on the wrong kind of error', async () => {
    const fixture: AdapterFixture = { ...okFixture, request: { method: 'GET' }, expect: undefined, expectError: 'bad_signature' };
    expect(await failure(checkFixture(plainAdapter(), fixture))).toContain('BadSignatureError');
  });

  it('passes when an expected bad_parameter comes from an unparseable body', async () => {
    const fixture: AdapterFixture = {
      ...okFixture,
      request: { method: 'GET', contentType: 'application/json', body: '{' },
      expect: undefined,
      expectError: 'bad_parameter',
    };
    await expect(checkFixture(plainAdapter(), fixture)).resolves.toBeUndefined();
  });

  it('fails on malformed output even when it equals the expectation', async () => {
    const adapter = plainAdapter({ parse: () => [{ clickId: CLICK, payout: '1.50' }] });
    await failure(checkFixture(adapter, { ...okFixture, expect: [{ clickId: CLICK, payout: '1.50' }] }));
  });

  it('fails when the fixture config is refused by the schema', async () => {
    await failure(checkFixture(plainAdapter(), { ...okFixture, config: { unknown: 'x' } }));
  });
});

describe('answer contract', () => {
  const unknownEvent: AdapterFixture = {
    name: 'unknown event',
    source: 'test',
    request: { method: 'GET', query: { click_id: CLICK, event: 'on_affiliation' } },
    expect: [],
    unknownEvent: true,
  };

  it('passes an adapter that acknowledges an unknown event with an ignored event or no postbacks', async () => {
    const ignoring = plainAdapter({ parse: () => ignoredEvent('on_affiliation') });
    await expect(checkFixtureAnswer(ignoring, { ...unknownEvent, expect: ignoredEvent('on_affiliation') })).resolves.toBeUndefined();
    await expect(checkFixture(ignoring, { ...unknownEvent, expect: ignoredEvent('on_affiliation') })).resolves.toBeUndefined();
    await expect(checkFixtureAnswer(plainAdapter({ parse: () => [] }), unknownEvent)).resolves.toBeUndefined();
  });

  it('fails an adapter that answers a well-signed unknown event with a 4xx', async () => {
    const refusing = plainAdapter({
      parse: () => {
        throw new BadParameterError('event', 'unknown event');
      },
    });
    expect(await failure(checkFixtureAnswer(refusing, { ...unknownEvent, expect: undefined, expectError: 'bad_parameter' }))).toContain(
      'would refuse an unknown event type with 400',
    );
  });

  it('refuses a fixture that marks a bad signature as an unknown event', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kit-'));
    try {
      writeFileSync(join(dir, 'a.json'), JSON.stringify({ ...unknownEvent, expect: undefined, expectError: 'bad_signature' }));
      expect(() => loadFixtures(dir)).toThrow('unknownEvent');
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it('fails a genuine notification without click id unless the adapter keeps it unattributed', async () => {
    const parse = () => [canonicalFrom({ txid: 'T1', payout: '2' })];
    const fixture: AdapterFixture = {
      name: 'no click',
      source: 'test',
      request: { method: 'GET', query: { txid: 'T1' } },
      expect: [{ txid: 'T1', payout: '2' }],
    };
    expect(await failure(checkFixtureAnswer(plainAdapter({ parse }), fixture))).toContain('withoutClickId');
    await expect(checkFixtureAnswer(plainAdapter({ parse, answers: { withoutClickId: 'unattributed' } }), fixture)).resolves.toBeUndefined();
  });

  it("works out the endpoint check, refusals by status, and the adapter's own answer status", async () => {
    const checked = plainAdapter({ answers: { endpointCheck: { status: 200, body: 'OK' } } });
    expect(await trackerAnswer(checked, requestFromFixture(checked, { method: 'GET' }), {})).toEqual({ kind: 'acknowledged', status: 200, outcomes: [] });
    const signed = plainAdapter({
      verify: () => {
        throw new BadSignatureError();
      },
    });
    expect(await trackerAnswer(signed, requestFromFixture(signed, okFixture.request), {})).toMatchObject({ kind: 'refused', status: 401 });
    const accepted = plainAdapter({ respond: () => ({ status: 202, body: 'OK' }) });
    expect(await trackerAnswer(accepted, requestFromFixture(accepted, okFixture.request), {})).toEqual({
      kind: 'acknowledged',
      status: 202,
      outcomes: ['recorded'],
    });
  });
});

describe('checkFixtureResponse', () => {
  it('fails when a response is expected but the adapter has no respond()', () => {
    expect(() => checkFixtureResponse(plainAdapter(), { ...okFixture, response: { body: 'OK' } })).toThrow('respond');
  });

  it('fails on a different body or status', () => {
    const adapter = plainAdapter({ respond: () => ({ status: 200, body: 'OK' }) });
    expect(() => checkFixtureResponse(adapter, { ...okFixture, response: { body: 'ok' } })).toThrow();
    expect(() => checkFixtureResponse(adapter, { ...okFixture, response: { status: 202, body: 'OK' } })).toThrow();
    expect(() => checkFixtureResponse(adapter, { ...okFixture, response: { body: 'OK' } })).not.toThrow();
  });
});

describe('tampering', () => {
  it('changes exactly one character of a body and keeps it parseable', () => {
    const body = '{"click_id":"abc","amount":"12.50","flag":true}';
    const tampered = tamperedRequest(hmacAdapter, { method: 'POST', contentType: 'application/json', body });
    expect(tampered.body).not.toBe(body);
    expect(tampered.body).toHaveLength(body.length);
    expect([...body].filter((c, i) => tampered.body![i] !== c)).toHaveLength(1);
    expect(() => JSON.parse(tampered.body!)).not.toThrow();
  });

  it('changes a query value that is not the signature', () => {
    const tampered = tamperedRequest(hmacAdapter, { method: 'GET', query: { sig: 'abc', amount: '3', click_id: 'c' } });
    expect(tampered.query).toEqual({ sig: 'abc', amount: '4', click_id: 'c' });
  });

  it('gives up loudly when there is nothing but a signature', () => {
    expect(() => tamperedRequest(hmacAdapter, { method: 'GET', query: { sig: 'abc' } })).toThrow('cannot test tampering');
  });

  it('fails for a verify that does not cover the body', async () => {
    const careless = { ...hmacAdapter, verify: (request: AdapterRequest) => void request };
    const [{ fixture }] = loadFixtures(join(__dirname, 'test-fixtures', 'hmac')).filter((f) => f.file === 'post-json.json');
    expect(await failure(checkTamperRefused(careless, fixture, { secret: 'kit-secret' }))).toContain('bad_signature');
  });
});

describe('checkPostbackUrlTemplate', () => {
  const withTemplate = (template: (t: string, slug: string) => string) => plainAdapter({ postbackUrlTemplate: (t, n) => template(t, n.slug) });

  it('passes a correct template', () => {
    expect(() => checkPostbackUrlTemplate(plainAdapter())).not.toThrow();
  });

  it.each([
    ['plain http', (t: string, s: string) => `${t.replace('https:', 'http:')}/postback/${s}`],
    ['a relative URL', (_: string, s: string) => `/postback/${s}`],
    ['a doubled slash after a trailing-slash tracker URL', (t: string, s: string) => `${t}/postback/${s}`],
    ['another path', (t: string) => `${t.replace(/\/$/, '')}/pb`],
    ['a repeated parameter', (t: string, s: string) => `${t.replace(/\/$/, '')}/postback/${s}?a={a}&a={b}`],
    ['whitespace', (t: string, s: string) => `${t.replace(/\/$/, '')}/postback/${s}?a={a} `],
    ['an encoded slug', (t: string, s: string) => `${t.replace(/\/$/, '')}/postback/${encodeURIComponent(s)}`],
    ['a tracker URL rebuilt through URL parsing', (t: string, s: string) => `${new URL(t).origin}/postback/${s}`],
  ])('fails for %s', (_, template) => {
    expect(() => checkPostbackUrlTemplate(withTemplate(template))).toThrow();
  });
});

describe('checkRobustness', () => {
  const fixtures = [{ file: 'ok.json', fixture: okFixture }];

  it('passes a careful adapter', async () => {
    await expect(checkRobustness(plainAdapter(), fixtures, {}, 100)).resolves.toBeUndefined();
  });

  it('fails an adapter that throws something other than an AdapterError', async () => {
    const adapter = plainAdapter({
      parse: (request) => {
        if (request.query.payout !== undefined) return [{ clickId: request.query.payout.toUpperCase().trim() || 'x' }];
        throw new TypeError('oops');
      },
    });
    expect(await failure(checkRobustness(adapter, fixtures, {}, 100))).toContain('instead of an AdapterError');
  });

  it('replays the same failure from a seed', async () => {
    const adapter = plainAdapter({
      parse: (request) => {
        if (Object.keys(request.query).length > 2) throw new RangeError('too many');
        throw new BadParameterError('x', 'no');
      },
    });
    const first = await failure(checkRobustness(adapter, fixtures, {}, 100, 42));
    expect(first).toContain('seed: 42');
    expect(await failure(checkRobustness(adapter, fixtures, {}, 100, 42))).toBe(first);
  });

  it('always tries each fixture parameter blank, as a macro and as a prototype name', async () => {
    const trimsLate = plainAdapter({
      parse: (request) => {
        if (request.query.click_id === undefined || request.query.click_id === '') throw new BadParameterError('click_id', 'is required');
        return [{ clickId: request.query.click_id.trim() }];
      },
    });
    expect(await failure(checkRobustness(trimsLate, fixtures, {}, 1))).toContain('clickId is empty');
    expect(edgeExamples(fixtures).map((e) => Object.fromEntries(e.query).payout)).toEqual(expect.arrayContaining([' ', '{macro}', 'constructor']));
  });

  it('fails an adapter that returns non-canonical values', async () => {
    const adapter = plainAdapter({ parse: () => [{ clickId: CLICK, payout: 12 as unknown as string }] });
    expect(await failure(checkRobustness(adapter, fixtures, {}, 20))).toContain('malformed');
  });

  it('fails an adapter that pollutes Object.prototype, and undoes the pollution', async () => {
    const adapter = plainAdapter({
      parse: (request) => {
        const target: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(request.query)) {
          if (k === '__proto__') Object.assign(Object.getPrototypeOf(target), { polluted: v });
        }
        throw new BadParameterError('x', 'nothing');
      },
    });
    expect(await failure(checkRobustness(adapter, fixtures, {}, 300))).toContain('Object.prototype');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('sends POST bodies of every declared content type', async () => {
    const seen = new Set<string>();
    const adapter = plainAdapter({
      methods: ['POST'],
      contentTypes: ['application/json', 'application/x-www-form-urlencoded'],
      parse: (request) => {
        if (request.body !== undefined && request.contentType) seen.add(request.contentType);
        return [];
      },
    });
    // Each random POST with a body picks one of the two types at random: 60 runs leave one out with a negligible
    // chance (300 took 5 s here, for the same check).
    await checkRobustness(adapter, fixtures, {}, 60);
    expect([...seen]).toEqual(expect.arrayContaining(['application/json', 'application/x-www-form-urlencoded']));
  });
});

describe('canonicalProblems', () => {
  it.each([
    [[{ clickId: CLICK, status: 'approved', payout: '1.5', currency: 'USD', extras: { a: 'b' } }], 0],
    [[], 0],
    [{}, 1],
    [[null], 1],
    [[{ clickId: '' }], 1],
    [[{ clickId: CLICK, status: 'sale' }], 1],
    [[{ clickId: CLICK, payout: '1.50' }], 1],
    [[{ clickId: CLICK, payout: '-1' }], 1],
    [[{ clickId: CLICK, currency: 'usd' }], 1],
    [[{ clickId: CLICK, extras: { a: 1 } }], 1],
    [[{ clickId: CLICK, click_id: CLICK }], 1],
  ])('%j has %i problem(s)', (output, count) => {
    expect(canonicalProblems(output)).toHaveLength(count);
  });
});

describe('resolveConfig', () => {
  it('fills defaults and refuses what the schema refuses', () => {
    expect(() => resolveConfig(hmacAdapter, {})).toThrow('secret');
    expect(resolveConfig(hmacAdapter, { secret: 's' })).toEqual({ secret: 's' });
  });
});
