import { expect } from '@jest/globals';
import fc from 'fast-check';
import { isIP } from 'node:net';
import { isConversionStatus, parseAmount, parseCountryCode, parseCurrency } from '@postwire/core';
import { AdapterError, BadParameterError, BadSignatureError } from '../adapter-errors';
import type { AdapterRequest } from '../adapter-request';
import { checkConfig, type ConfigOf, type ConfigSchema } from '../config-schema';
import type { NetworkAdapter } from '../network-adapter';
import { isIgnoredEvent, type ParseResult } from '../parse-result';
import { buildAdapterRequest, mediaTypeOf } from '../request-body';
import type { AdapterFixture, FixtureErrorCode, FixtureRequest, LoadedFixture } from './fixtures';

// The SDK's adapter type is generic over its schema; the kit accepts any of them.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyAdapter = NetworkAdapter<any>;

const ERROR_CLASSES: Record<FixtureErrorCode, new (...args: never[]) => AdapterError> = {
  bad_parameter: BadParameterError,
  bad_signature: BadSignatureError,
};

/** Query parameter names taken to carry a signature, which tampering must leave alone. */
export const DEFAULT_SIGNATURE_PARAM = /sig|signature|hash|hmac|token|checksum/i;

/** Adapter settings after validation, as an adapter receives them. */
export type AdapterConfig = ConfigOf<ConfigSchema>;

/** Validates adapter settings with the adapter's own schema and returns them with defaults filled. */
export function resolveConfig(adapter: AnyAdapter, raw: Record<string, unknown> | undefined): AdapterConfig {
  const checked = checkConfig(adapter.configSchema as ConfigSchema, raw ?? {});
  if (!checked.ok) throw new Error(`adapter config is refused by the adapter's schema: ${checked.errors.join('; ')}`);
  return checked.value;
}

/** Runs an adapter the way the tracker does: `verify` (when there is one), then `parse`. */
export async function runAdapter(adapter: AnyAdapter, request: AdapterRequest, config: AdapterConfig): Promise<ParseResult> {
  if (adapter.verify) await adapter.verify(request, config);
  return adapter.parse(request, config);
}

/** The AdapterRequest a fixture describes (the body parsed as the tracker would). */
export function requestFromFixture(adapter: AnyAdapter, request: FixtureRequest): AdapterRequest {
  return buildAdapterRequest({
    method: request.method,
    path: request.path ?? `/postback/${adapter.id}`,
    query: request.query,
    headers: request.headers,
    contentType: request.contentType,
    body: request.body,
  });
}

/**
 * Lists what is wrong with an adapter's output, empty when it is an {@link IgnoredEvent} naming its
 * event or an array of well-formed canonical postbacks: known fields only, strings everywhere, a known
 * status, amounts and currency exactly as `parseAmount` / `parseCurrency` normalise them.
 */
export function canonicalProblems(output: unknown): string[] {
  if (output !== null && typeof output === 'object' && !Array.isArray(output) && (output as { ignored?: unknown }).ignored === true) {
    const { event, ...rest } = output as { ignored: true; event?: unknown };
    const problems = typeof event === 'string' && event !== '' ? [] : [`the ignored event is named by ${show(event)}, not a non-empty string`];
    const unknown = Object.keys(rest).filter((key) => key !== 'ignored');
    return unknown.length ? [...problems, `the ignored event has unknown fields ${unknown.join(', ')}`] : problems;
  }
  if (!Array.isArray(output)) return [`expected an array of canonical postbacks or an ignored event, got ${show(output)}`];
  const problems: string[] = [];
  const fields = new Set(['clickId', 'goal', 'txid', 'status', 'statusByCurrent', 'payout', 'revenue', 'currency', 'country', 'buyerIp', 'extras']);
  output.forEach((item: unknown, i) => {
    const at = `postback ${i}`;
    if (item === null || typeof item !== 'object' || Array.isArray(item)) {
      problems.push(`${at} is ${show(item)}, not an object`);
      return;
    }
    const pb = item as Record<string, unknown>;
    for (const key of Object.keys(pb)) {
      if (!fields.has(key)) problems.push(`${at} has an unknown field ${JSON.stringify(key)}`);
    }
    for (const key of ['clickId', 'goal', 'txid', 'status', 'payout', 'revenue', 'currency', 'country', 'buyerIp'] as const) {
      const value = pb[key];
      if (value === undefined) continue;
      if (typeof value !== 'string') {
        problems.push(`${at}.${key} is ${show(value)}, not a string`);
        continue;
      }
      if ((key === 'clickId' || key === 'txid') && value === '') problems.push(`${at}.${key} is empty; leave it out instead`);
      if (key === 'status' && !isConversionStatus(value)) problems.push(`${at}.status ${JSON.stringify(value)} is not a Postwire status`);
      if (key === 'payout' || key === 'revenue') {
        const parsed = parseAmount(value);
        if (!parsed.ok || parsed.value !== value) problems.push(`${at}.${key} ${JSON.stringify(value)} is not a normalised decimal amount`);
      }
      if (key === 'currency' && parseCurrency(value) !== value) problems.push(`${at}.currency ${JSON.stringify(value)} is not an upper-case ISO 4217 code`);
      if (key === 'country' && parseCountryCode(value) !== value)
        problems.push(`${at}.country ${JSON.stringify(value)} is not an upper-case ISO 3166-1 alpha-2 code`);
      if (key === 'buyerIp' && isIP(value) === 0) problems.push(`${at}.buyerIp ${JSON.stringify(value)} is not an IP address`);
    }
    if (pb.statusByCurrent !== undefined) {
      const rule = pb.statusByCurrent;
      if (rule === null || typeof rule !== 'object' || Array.isArray(rule)) problems.push(`${at}.statusByCurrent is ${show(rule)}, not an object`);
      else
        for (const [current, status] of Object.entries(rule)) {
          if (!isConversionStatus(current)) problems.push(`${at}.statusByCurrent has the key ${JSON.stringify(current)}, not a Postwire status`);
          if (typeof status !== 'string' || !isConversionStatus(status))
            problems.push(`${at}.statusByCurrent.${current} is ${show(status)}, not a Postwire status`);
        }
    }
    if (pb.extras !== undefined) {
      const extras = pb.extras;
      if (extras === null || typeof extras !== 'object' || Array.isArray(extras)) problems.push(`${at}.extras is ${show(extras)}, not an object`);
      else
        for (const [key, value] of Object.entries(extras)) {
          if (typeof value !== 'string') problems.push(`${at}.extras.${key} is ${show(value)}, not a string`);
        }
    }
  });
  return problems;
}

function show(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.slice(0, 40))}`;
  return typeof value === 'object' ? 'an object' : `${typeof value} ${String(value).slice(0, 40)}`;
}

async function outcome(adapter: AnyAdapter, fixture: AdapterFixture, baseConfig: Record<string, unknown> | undefined) {
  const config = resolveConfig(adapter, { ...baseConfig, ...fixture.config });
  try {
    // Building the request is inside the try: a body the tracker cannot parse is refused with the
    // same 400 an adapter would give, so a fixture may expect that refusal too.
    return { output: await runAdapter(adapter, requestFromFixture(adapter, fixture.request), config) };
  } catch (error) {
    return { error };
  }
}

/** Replays one fixture and asserts the adapter's answer: the expected postbacks or the expected error. */
export async function checkFixture(adapter: AnyAdapter, fixture: AdapterFixture, baseConfig?: Record<string, unknown>): Promise<void> {
  const result = await outcome(adapter, fixture, baseConfig);
  if (fixture.expectError !== undefined) {
    const expected = ERROR_CLASSES[fixture.expectError];
    if (!('error' in result)) throw new Error(`expected ${expected.name} (${fixture.expectError}) but the adapter returned ${JSON.stringify(result.output)}`);
    if (!(result.error instanceof expected)) throw new Error(`expected ${expected.name} (${fixture.expectError}) but got ${String(result.error)}`);
    return;
  }
  if ('error' in result)
    throw new Error(`expected ${isIgnoredEvent(fixture.expect ?? []) ? 'an ignored event' : 'postbacks'} but the adapter threw ${String(result.error)}`);
  expect(canonicalProblems(result.output)).toEqual([]);
  expect(result.output).toEqual(fixture.expect);
}

/**
 * What the tracker answers for one request, following the answer contract of `docs/plugins.md`:
 * `refused` (4xx) for a failed signature (401) or unreadable input (400), and for postbacks that
 * lack a click id unless the adapter keeps them `unattributed`; `acknowledged` (2xx) otherwise,
 * including events the adapter does not know (`ignored`) and test pings (no postbacks).
 */
export type TrackerAnswer =
  { kind: 'acknowledged'; status: number; outcomes: Array<'recorded' | 'ignored' | 'unattributed'> } | { kind: 'refused'; status: 400 | 401; reason: string };

/** Works out {@link TrackerAnswer} for a request, running the adapter as the tracker does. */
export async function trackerAnswer(adapter: AnyAdapter, request: AdapterRequest, config: AdapterConfig): Promise<TrackerAnswer> {
  const check = adapter.answers?.endpointCheck;
  if (check && request.method === 'GET' && Object.keys(request.query).length === 0 && request.rawBody.length === 0) {
    return { kind: 'acknowledged', status: check.status ?? 200, outcomes: [] };
  }
  let parsed: ParseResult;
  try {
    parsed = await runAdapter(adapter, request, config);
  } catch (error) {
    const status = (error as { httpStatus?: unknown })?.httpStatus === 401 ? 401 : 400;
    return { kind: 'refused', status, reason: String((error as Error)?.message ?? error) };
  }
  if (isIgnoredEvent(parsed)) return { kind: 'acknowledged', status: respondStatus(adapter, 'ignored'), outcomes: ['ignored'] };
  const keeps = adapter.answers?.withoutClickId === 'unattributed';
  const outcomes: Array<'recorded' | 'unattributed'> = [];
  for (const p of parsed) {
    if (p.clickId) outcomes.push('recorded');
    else if (keeps && p.txid) outcomes.push('unattributed');
    else
      return {
        kind: 'refused',
        status: 400,
        reason: keeps
          ? 'a postback has neither click id nor txid'
          : 'a postback has no click id and the adapter does not keep such postbacks (answers.withoutClickId)',
      };
  }
  return { kind: 'acknowledged', status: respondStatus(adapter, outcomes.includes('unattributed') ? 'unattributed' : 'accepted'), outcomes };
}

function respondStatus(adapter: AnyAdapter, status: 'accepted' | 'ignored' | 'unattributed'): number {
  return adapter.respond ? (adapter.respond({ results: [{ status }] }).status ?? 200) : 200;
}

/**
 * The answer contract for one fixture: a fixture marked `unknownEvent` (a genuine, well-signed
 * notification of an event type the adapter does not use) must be acknowledged, never refused,
 * and so must every fixture that expects postbacks.
 */
export async function checkFixtureAnswer(adapter: AnyAdapter, fixture: AdapterFixture, baseConfig?: Record<string, unknown>): Promise<void> {
  if (!fixture.unknownEvent && fixture.expect === undefined) return;
  const config = resolveConfig(adapter, { ...baseConfig, ...fixture.config });
  const answer = await trackerAnswer(adapter, requestFromFixture(adapter, fixture.request), config);
  if (answer.kind === 'refused') {
    const what = fixture.unknownEvent ? 'an unknown event type' : 'a genuine notification';
    throw new Error(
      `the tracker would refuse ${what} with ${answer.status} (${answer.reason}); networks retry refusals and switch URLs off over them: acknowledge it (return ignoredEvent(event) for events you do not use)`,
    );
  }
  expect(answer.status).toBeGreaterThanOrEqual(200);
  expect(answer.status).toBeLessThan(300);
}

/** Asserts the answer `respond` gives for a fixture whose postbacks were all accepted. */
export function checkFixtureResponse(adapter: AnyAdapter, fixture: AdapterFixture): void {
  if (!fixture.response) return;
  if (!adapter.respond) throw new Error('the fixture expects a custom response but the adapter has no respond()');
  const expected = fixture.expect === undefined || isIgnoredEvent(fixture.expect) ? [] : fixture.expect;
  const answer = adapter.respond({ results: expected.map(() => ({ status: 'accepted' as const })) });
  expect({ status: answer.status ?? 200, body: answer.body }).toEqual({ status: fixture.response.status ?? 200, body: fixture.response.body });
}

// Digits first, then letters: changing one keeps a JSON or form body parseable far more often
// than changing punctuation, so the refusal has to come from the signature check.
function tamperCandidates(text: string): number[] {
  const middle = Math.floor(text.length / 2);
  const order = Array.from({ length: text.length }, (_, i) => i).sort((a, b) => Math.abs(a - middle) - Math.abs(b - middle) || a - b);
  return [...order.filter((i) => /[0-9]/.test(text[i])), ...order.filter((i) => /[a-zA-Z]/.test(text[i]))];
}

function changeChar(text: string, i: number): string {
  const c = text[i];
  // 9 → 8 rather than 9 → 0 so a number never gains a leading zero (invalid JSON).
  const next = /[0-8]/.test(c) ? String(Number(c) + 1) : c === '9' ? '8' : c === 'z' ? 'a' : c === 'Z' ? 'A' : String.fromCharCode(c.charCodeAt(0) + 1);
  return text.slice(0, i) + next + text.slice(i + 1);
}

/**
 * A copy of a fixture's request with exactly one character changed: in the body when there is
 * one, otherwise in the first query value (by name) that is not a signature. The change is
 * chosen so the request still parses. Throws when there is nothing to tamper with.
 */
export function tamperedRequest(adapter: AnyAdapter, request: FixtureRequest, signatureParam: RegExp = DEFAULT_SIGNATURE_PARAM): FixtureRequest {
  if (request.body !== undefined && request.body !== '') {
    for (const i of tamperCandidates(request.body)) {
      const copy = { ...request, body: changeChar(request.body, i) };
      try {
        requestFromFixture(adapter, copy);
        return copy;
      } catch {
        continue;
      }
    }
    throw new Error('no single-character change of the body leaves it parseable; cannot test tampering');
  }
  const query = request.query ?? {};
  const name = Object.keys(query)
    .sort()
    .find((key) => !signatureParam.test(key));
  if (name === undefined) throw new Error('the request has no body and no query value besides the signature; cannot test tampering');
  const value = query[name];
  const [i] = tamperCandidates(value);
  const changed = i === undefined ? `${value}x` : changeChar(value, i);
  return { ...request, query: { ...query, [name]: changed } };
}

/** Asserts that a one-character change to a valid fixture is refused with BadSignatureError. */
export async function checkTamperRefused(
  adapter: AnyAdapter,
  fixture: AdapterFixture,
  baseConfig?: Record<string, unknown>,
  signatureParam?: RegExp,
): Promise<void> {
  const tampered = { ...fixture, request: tamperedRequest(adapter, fixture.request, signatureParam), expect: undefined, expectError: 'bad_signature' as const };
  await checkFixture(adapter, tampered, baseConfig);
}

/**
 * Asserts the pasteable postback URL: absolute https on the tracker's host, pointing at
 * `/postback/<slug>` with or without a trailing slash on the tracker URL, no whitespace, and no
 * query parameter twice (the tracker refuses repeated parameters, so every postback would fail).
 * The tracker URL and slug must be used verbatim: the admin API lists templates built from the
 * placeholders `{tracker_url}` and `{network_slug}`, which encoding would garble.
 */
export function checkPostbackUrlTemplate(adapter: AnyAdapter): void {
  const listed = adapter.postbackUrlTemplate('{tracker_url}', { id: '{network_id}', slug: '{network_slug}' });
  expect(listed.startsWith('{tracker_url}/postback/{network_slug}')).toBe(true);
  for (const trackerUrl of ['https://track.example', 'https://track.example/']) {
    const url = adapter.postbackUrlTemplate(trackerUrl, { id: 'n1', slug: 'net' });
    expect(typeof url).toBe('string');
    expect(url.startsWith('https://track.example/')).toBe(true);
    expect(url).not.toMatch(/\s/);
    const parsed = new URL(url);
    expect({ protocol: parsed.protocol, host: parsed.host, pathname: parsed.pathname }).toEqual({
      protocol: 'https:',
      host: 'track.example',
      pathname: '/postback/net',
    });
    const names = [...parsed.searchParams.keys()];
    expect(names.filter((name, i) => names.indexOf(name) !== i)).toEqual([]);
  }
}

/** One generated request, before it is turned into an AdapterRequest. */
export interface RandomRequest {
  method: 'GET' | 'POST';
  query: Array<[string, string]>;
  headers: Array<[string, string]>;
  contentType: string | undefined;
  body: string | Buffer | undefined;
  /** When set, used as the parsed body directly instead of parsing `body`. */
  parsedBody?: { value: unknown };
}

const POLLUTING_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf'];

function fixtureNames(fixtures: readonly LoadedFixture[]): { keys: string[]; values: string[]; headers: Array<[string, string]> } {
  const keys = new Set<string>();
  const values = new Set<string>();
  const headers: Array<[string, string]> = [];
  for (const { fixture } of fixtures) {
    for (const [k, v] of Object.entries(fixture.request.query ?? {})) {
      keys.add(k);
      values.add(v);
    }
    for (const [k, v] of Object.entries(fixture.request.headers ?? {})) headers.push([k.toLowerCase(), v]);
    // Body parameter names are only hints for the generator, so a body that is neither JSON nor a
    // well-formed form (a fixture may test exactly that) just contributes nothing.
    try {
      const body = fixture.request.body ? (JSON.parse(fixture.request.body) as unknown) : undefined;
      if (body && typeof body === 'object' && !Array.isArray(body)) for (const k of Object.keys(body)) keys.add(k);
    } catch {
      for (const pair of (fixture.request.body ?? '').split('&')) {
        try {
          keys.add(decodeURIComponent(pair.split('=')[0].replace(/\+/g, ' ')));
        } catch {
          continue;
        }
      }
    }
  }
  keys.delete('');
  return { keys: [...keys], values: [...values], headers };
}

/**
 * Random hostile requests shaped after the adapter: its methods and content types, the parameter
 * names its fixtures use (so values reach the adapter's parsing), prototype-polluting names,
 * invalid JSON, random bytes, huge strings and deep nesting.
 */
export function randomRequests(adapter: AnyAdapter, fixtures: readonly LoadedFixture[]): fc.Arbitrary<RandomRequest> {
  const known = fixtureNames(fixtures);
  const huge = 'a'.repeat(1_000_000);
  const key = fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...(known.keys.length ? known.keys : ['click_id'])) },
    { weight: 1, arbitrary: fc.constantFrom(...POLLUTING_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const value = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom(
      '',
      ' ',
      '-1',
      '1e3',
      'NaN',
      'Infinity',
      '0x10',
      '1,5',
      '1.0000001',
      '9999999999999',
      '0',
      'USD',
      'usd',
      'XXQ',
      '{sub1}',
      '\u0000',
      'approved',
      '1',
      '5',
      '7',
    ),
    ...(known.values.length ? [fc.constantFrom(...known.values)] : []),
    fc.constant(huge),
  );
  const entries = fc.array(fc.tuple(key, value), { maxLength: 12 });
  const randomHeader = fc.tuple(fc.constantFrom('x-signature', 'authorization', 'x-random'), value);
  const header = known.headers.length ? fc.oneof(fc.constantFrom(...known.headers), randomHeader) : randomHeader;
  const headerEntries = fc.array(header, { maxLength: 3 });
  const formText = entries.map((list) => list.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  const body = fc.oneof(
    fc.constant(undefined),
    fc.string({ maxLength: 200 }),
    fc.json({ maxDepth: 3 }),
    entries.map((list) => JSON.stringify(Object.fromEntries(list))),
    formText,
    fc.constantFrom('{', '{"a":', '[1,', 'nul', '{"a":1}}', '%', 'a=%zz', 'a=1&a=2', '__proto__[x]=1', '{"__proto__":{"polluted":"yes"}}'),
    fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
    fc.constant(`{"x":"${huge}"}`),
    fc.constant('['.repeat(5000) + ']'.repeat(5000)),
  );
  const declared = adapter.contentTypes ?? [];
  const contentType = fc.constantFrom<string | undefined>(
    undefined,
    'text/plain',
    'application/json',
    'application/x-www-form-urlencoded',
    ...declared,
    ...declared.map((t) => `${t}; charset=utf-8`),
  );
  const parsedBody = fc.option(
    fc
      .oneof(
        fc.jsonValue({ maxDepth: 3 }),
        entries.map((list) => Object.fromEntries(list)),
        fc.constant(JSON.parse('{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}') as unknown),
      )
      .map((value) => ({ value })),
    { freq: 4 },
  );
  return fc
    .record({
      method: fc.constantFrom(...(adapter.methods.length ? adapter.methods : (['GET'] as const))),
      query: entries,
      headers: headerEntries,
      contentType,
      body,
      parsedBody,
    })
    .map((r) => ({ ...r, parsedBody: r.parsedBody ?? undefined }));
}

const EDGE_VALUES = [' ', '', '{macro}', '-1', 'constructor', '\u0000'];

/**
 * Every fixture with each of its parameters in turn set to an edge value (blank, only spaces, an
 * unfilled macro, a negative number, a prototype name, a NUL). Random generation finds these
 * only sometimes; as fixed examples they are tried on every run.
 */
export function edgeExamples(fixtures: readonly LoadedFixture[]): RandomRequest[] {
  const examples: RandomRequest[] = [];
  for (const { fixture } of fixtures) {
    const { request } = fixture;
    const base = {
      method: request.method,
      headers: Object.entries(request.headers ?? {}).map(([k, v]): [string, string] => [k.toLowerCase(), v]),
      contentType: request.contentType,
    };
    const query = Object.entries(request.query ?? {});
    query.forEach((_entry, i) => {
      for (const edge of EDGE_VALUES) {
        const changed = query.map(([k, v], j): [string, string] => [k, i === j ? edge : v]);
        examples.push({ ...base, query: changed, body: request.body });
      }
    });
    let json: unknown;
    try {
      json = request.body ? JSON.parse(request.body) : undefined;
    } catch {
      json = undefined;
    }
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      for (const key of Object.keys(json)) {
        for (const edge of EDGE_VALUES) examples.push({ ...base, query, body: JSON.stringify({ ...json, [key]: edge }) });
      }
    } else if (request.body && /=/.test(request.body)) {
      const pairs = request.body.split('&');
      pairs.forEach((_, i) => {
        for (const edge of EDGE_VALUES) {
          const body = pairs.map((pair, j) => (i === j ? `${pair.split('=')[0]}=${encodeURIComponent(edge)}` : pair)).join('&');
          examples.push({ ...base, query, body });
        }
      });
    }
  }
  return examples;
}

function toAdapterRequest(adapter: AnyAdapter, r: RandomRequest): AdapterRequest {
  const query = Object.fromEntries(r.query);
  const headers = Object.fromEntries(r.headers);
  const rawBody = r.body === undefined ? Buffer.alloc(0) : typeof r.body === 'string' ? Buffer.from(r.body, 'utf8') : r.body;
  let request: AdapterRequest;
  try {
    request = buildAdapterRequest({ method: r.method, path: `/postback/${adapter.id}`, query: {}, headers, contentType: r.contentType, body: rawBody });
  } catch (error) {
    if (!(error instanceof AdapterError)) throw error;
    // The tracker refuses such a body itself; the adapter must still cope if it ever sees one.
    request = { method: r.method, path: `/postback/${adapter.id}`, query: {}, headers, contentType: mediaTypeOf(r.contentType), rawBody, ip: '198.51.100.1' };
  }
  // The query is built by fromEntries so `__proto__` arrives as an own key, as a careless
  // framework could hand it over, instead of being dropped as buildAdapterRequest would.
  request = { ...request, query };
  if (r.parsedBody) request = { ...request, body: r.parsedBody.value };
  return request;
}

/**
 * Throws unless the adapter answers every random request with canonical postbacks or an
 * {@link AdapterError}, and never touches `Object.prototype`.
 */
export async function checkRobustness(
  adapter: AnyAdapter,
  fixtures: readonly LoadedFixture[],
  config: AdapterConfig,
  numRuns = 300,
  seed?: number,
): Promise<void> {
  const prototypeKeys = Object.getOwnPropertyNames(Object.prototype).sort();
  try {
    await runRobustness(adapter, fixtures, config, { numRuns, seed }, prototypeKeys);
  } catch (error) {
    // fast-check keeps the property's own failure in `cause`; put it in the message so every
    // reporter shows what went wrong, not only the counterexample.
    const cause = error instanceof Error && error.cause instanceof Error ? `\n\nCause: ${error.cause.message}` : '';
    throw new Error(`${error instanceof Error ? error.message : String(error)}${cause}`, { cause: error });
  }
}

async function runRobustness(
  adapter: AnyAdapter,
  fixtures: readonly LoadedFixture[],
  config: AdapterConfig,
  run: { numRuns: number; seed?: number },
  prototypeKeys: string[],
): Promise<void> {
  await fc.assert(
    fc.asyncProperty(randomRequests(adapter, fixtures), async (random) => {
      const request = toAdapterRequest(adapter, random);
      let result: { output: unknown } | { error: unknown };
      try {
        result = { output: await runAdapter(adapter, request, config) };
      } catch (error) {
        result = { error };
      }
      const added = Object.getOwnPropertyNames(Object.prototype).filter((name) => !prototypeKeys.includes(name));
      if (added.length) {
        // Undo it first so one polluting adapter does not break every later test in the process.
        for (const name of added) delete (Object.prototype as Record<string, unknown>)[name];
        throw new Error(`Object.prototype gained ${added.join(', ')}`);
      }
      if ('error' in result) {
        const { error } = result;
        if (error instanceof AdapterError) return;
        throw new Error(`threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of an AdapterError`);
      }
      const problems = canonicalProblems(result.output);
      if (problems.length) throw new Error(`returned malformed postbacks: ${problems.join('; ')}`);
    }),
    {
      numRuns: run.numRuns,
      examples: edgeExamples(fixtures).map((example): [RandomRequest] => [example]),
      ...(run.seed === undefined ? {} : { seed: run.seed }),
    },
  );
}

/**
 * What the console needs to render the adapter's settings form from its schema: a title and a
 * description for every field, enums only on string fields with their default among them, and
 * secrets only on strings (they are sealed as text).
 */
export function configSchemaProblems(schema: ConfigSchema): string[] {
  const problems: string[] = [];
  for (const [key, field] of Object.entries(schema)) {
    if (!field.title?.trim()) problems.push(`${key}: has no title (the label of the field in the console)`);
    if (!field.description?.trim()) problems.push(`${key}: has no description`);
    if (field.help !== undefined && !field.help.trim()) problems.push(`${key}: has an empty help text`);
    if (field.secret && field.type !== 'string') problems.push(`${key}: only a string setting can be secret`);
    if (field.enum !== undefined) {
      if (field.type !== 'string') problems.push(`${key}: only a string setting can have an enum`);
      if (field.enum.length === 0 || new Set(field.enum).size !== field.enum.length) problems.push(`${key}: enum must list distinct values`);
      if (field.default !== undefined && !field.enum.includes(field.default as string)) problems.push(`${key}: default is not one of its enum values`);
    }
    if (field.default !== undefined && typeof field.default !== field.type) problems.push(`${key}: default is not a ${field.type}`);
  }
  return problems;
}
