import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { CONVERSION_STATUSES } from '@postwire/core';
import { checkConfig, type ConfigSchema } from '../config-schema';
import type { ForwardingTarget, TargetAnswer, TargetBuild, TargetContext, TargetConversion } from '../forwarding-target';
import { configSchemaProblems } from './checks';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type AnyTarget = ForwardingTarget<any>;

/** Settings for {@link runTargetConformance}. */
export interface TargetConformanceOptions {
  /** A valid config of the target (secret values included): every check builds with it. */
  config: Record<string, unknown>;
  /** How many random conversions the robustness checks build (default 300). */
  runs?: number;
  /** Replays a failed run: the `seed` fast-check printed. */
  seed?: number;
  /**
   * Answers the target's side calls (an OAuth token exchange) in the kit's own context, so its requests
   * get built and checked. Absent: every side call is refused, and the target must cope (a `failed` build).
   */
  http?: TargetContext['http'];
}

const refuseSideCalls: TargetContext['http'] = () =>
  Promise.resolve({ statusCode: null, headers: {}, body: null, error: 'no side calls in the conformance kit' });

/** A context whose side calls go to `http` (by default refused: no answer) and an in-memory cache. */
export function testTargetContext(now: Date, mapping: TargetContext['mapping'] = [], http: TargetContext['http'] = refuseSideCalls): TargetContext {
  const cache = new Map<string, string>();
  return {
    now,
    mapping,
    http,
    cache: { get: (key) => cache.get(key), set: (key, value) => void cache.set(key, value) },
  };
}

const NOW = new Date('2026-06-15T12:00:00.000Z');
const DAY = 86_400_000;

const oddText = fc.oneof(fc.string({ maxLength: 40 }), fc.constantFrom('', ' ', '\u0000', '😀', '../../', '{click_id}', '"quoted"', '<b>', 'a'.repeat(600)));
const optionalText = fc.option(oddText, { nil: undefined });
const nullableText = fc.option(oddText, { nil: null });
const amount = fc.option(fc.oneof(fc.constantFrom('0', '12.50', '-3', '99999999.999999', 'NaN', ''), oddText), { nil: null });
const instant = fc.integer({ min: NOW.getTime() - 40 * DAY, max: NOW.getTime() + DAY }).map((t) => new Date(t));

/** Personal data with markers the no-raw-PII check looks for in what is built. */
const personal = fc.record(
  {
    email: fc.stringMatching(/^[a-z]{3,8}$/).map((local) => `Pii.${local}@Example.org`),
    phone: fc.integer({ min: 1_000_000, max: 9_999_999 }).map((n) => `+1 (555) ${n}`),
    externalId: fc.stringMatching(/^[a-z]{4,8}$/).map((s) => `ext-${s}`),
  },
  { requiredKeys: [] },
);

/** Random conversions, odd values included: every field a target reads, at its edges. */
export const anyTargetConversion: fc.Arbitrary<TargetConversion> = fc.record({
  id: fc.uuid(),
  status: fc.constantFrom(...CONVERSION_STATUSES),
  previousStatus: fc.option(fc.constantFrom(...CONVERSION_STATUSES), { nil: null }),
  goal: nullableText,
  txid: nullableText,
  payout: amount,
  revenue: amount,
  currency: fc.option(fc.constantFrom('USD', 'EUR', 'JPY', 'XXX', ''), { nil: null }),
  occurredAt: instant,
  click: fc.record({
    id: fc.stringMatching(/^[0-9A-Z]{26}$/),
    at: instant,
    ip: fc.option(fc.oneof(fc.ipV4(), fc.ipV6()), { nil: null }),
    userAgent: nullableText,
    country: fc.option(fc.constantFrom('US', 'DE', ''), { nil: null }),
    landingUrl: fc.option(fc.oneof(fc.webUrl(), oddText), { nil: null }),
    identifiers: fc.record(
      {
        fbclid: optionalText,
        fbc: optionalText,
        fbp: optionalText,
        gclid: optionalText,
        gbraid: optionalText,
        wbraid: optionalText,
        ttclid: optionalText,
        ttp: optionalText,
      },
      { requiredKeys: [] },
    ),
  }),
  personal,
  isTest: fc.boolean(),
});

/** Raw personal values of `conversion` that must never show in a built request (emails, phone digits, external ids). */
export function rawPersonalValues(conversion: TargetConversion): string[] {
  const raw: string[] = [];
  const { email, phone, externalId } = conversion.personal;
  if (email) raw.push(email, email.toLowerCase(), email.split('@')[0].toLowerCase());
  if (phone) raw.push(phone.replace(/\D+/g, ''));
  if (externalId) raw.push(externalId);
  return raw;
}

/** What is wrong with a build result: an empty reason, a failure without a verdict, an unsendable request, raw personal data or a secret in what the log keeps. */
export function buildProblems(result: TargetBuild, conversion: TargetConversion, secrets: readonly string[]): string[] {
  if (result.kind === 'not_sent') return result.reason.trim() ? [] : ['not_sent without a reason'];
  if (result.kind === 'failed') {
    const { verdict } = result;
    if (verdict?.kind !== 'retry' && verdict?.kind !== 'permanent') return ['failed without a retry or permanent verdict'];
    const kept = verdict.reason ?? '';
    const problems = kept.trim() ? [] : ['failed without a reason'];
    for (const secret of secrets) if (secret && kept.includes(secret)) problems.push('a secret setting is in the failure reason (the delivery log keeps it)');
    return problems;
  }
  const problems: string[] = [];
  const { request } = result;
  if (request.method !== 'GET' && request.method !== 'POST') problems.push(`method ${String(request.method)}`);
  if (!URL.canParse(request.url)) problems.push(`url is not absolute: ${request.url}`);
  if (request.body !== null && typeof request.body !== 'string') problems.push('body is neither a string nor null');
  const kept = `${request.url}\n${request.body ?? ''}`;
  const lowerKept = kept.toLowerCase();
  for (const value of rawPersonalValues(conversion)) if (lowerKept.includes(value.toLowerCase())) problems.push(`raw personal data in the request: ${value}`);
  for (const secret of secrets) if (secret && kept.includes(secret)) problems.push('a secret setting is in the URL or body (the delivery log keeps those)');
  return problems;
}

const STATUS_CODES = [null, 200, 201, 204, 301, 400, 401, 403, 404, 408, 409, 410, 413, 422, 429, 500, 502, 503, 504];
const BODIES = [
  null,
  '',
  'not json',
  '{}',
  '[]',
  '{"error":{}}',
  '{"error":{"code":"x"}}',
  '{"events_received":"one"}',
  '<html>busy</html>',
  'x'.repeat(65_536),
];

/**
 * Registers the standard jest tests every forwarding target must pass:
 * - its config schema describes every setting (titles, secrets that fit) and accepts `options.config`;
 * - its default mapping names only its own events;
 * - `build` (and `update`) never throw on odd conversions: they give a request, a reason, or a failure's verdict;
 * - no raw email, phone or external id, and no secret setting, is in a built URL or body (the delivery log keeps them);
 * - `read` is total: every status code and odd body gives one of the three verdicts, a missing answer and a 429 are retried.
 */
export function runTargetConformance(target: AnyTarget, options: TargetConformanceOptions): void {
  const runs = options.runs ?? 300;
  const schema = target.configSchema as ConfigSchema;
  const secrets = Object.entries(schema)
    .filter(([, field]) => field.secret)
    .map(([key]) => String(options.config[key] ?? ''));

  describe(`${target.id} target conformance`, () => {
    it('describes every setting and accepts the given config', () => {
      expect(configSchemaProblems(schema)).toEqual([]);
      const checked = checkConfig(schema, options.config);
      // The errors, so a refused config says which setting is wrong.
      expect(checked.ok ? [] : checked.errors).toEqual([]);
    });

    it('maps by default only to its own events', () => {
      if (target.events.length === 0) return expect(target.defaultMapping.every((r) => r.event === null || typeof r.event === 'string')).toBe(true);
      for (const rule of target.defaultMapping) if (rule.event !== null) expect(target.events).toContain(rule.event);
    });

    for (const step of ['build', 'update'] as const) {
      it(`${step} never throws on odd conversions, and keeps raw personal data and secrets out of the request`, async () => {
        const fn = target[step];
        if (!fn) return expect(step).toBe('update');
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const config = (checkConfig(schema, options.config) as { value: any }).value;
        const mappings = [[], target.events.map((event) => ({ event }))].slice(0, target.events.length ? 2 : 1);
        const kinds = new Set<string>();
        await fc.assert(
          fc.asyncProperty(anyTargetConversion, fc.constantFrom(...mappings), async (conversion, mapping) => {
            const result = await fn(conversion, config, testTargetContext(NOW, mapping, options.http));
            kinds.add(result.kind);
            expect(['send', 'not_sent', 'failed']).toContain(result.kind);
            expect(buildProblems(result, conversion, secrets)).toEqual([]);
          }),
          { numRuns: runs, seed: options.seed },
        );
        // Otherwise a target that never builds a request (every side call refused) would pass the checks above unchecked.
        if (step === 'build') expect(kinds).toContain('send');
      });
    }

    it('reads every answer into a verdict; no answer and a 429 are retried', () => {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const config = (checkConfig(schema, options.config) as { value: any }).value;
      for (const statusCode of STATUS_CODES) {
        for (const body of BODIES) {
          for (const headers of [{}, { 'retry-after': '30' }, { 'retry-after': 'soon' }] as Array<Record<string, string>>) {
            const answer: TargetAnswer = { statusCode, headers, body, error: statusCode === null ? 'ECONNREFUSED' : null };
            const verdict = target.read(answer, config);
            expect(['delivered', 'retry', 'permanent']).toContain(verdict.kind);
            if (verdict.kind !== 'delivered') expect(verdict.reason.trim()).not.toBe('');
            if (statusCode === null || statusCode === 429) expect(verdict.kind).toBe('retry');
          }
        }
      }
    });
  });
}
