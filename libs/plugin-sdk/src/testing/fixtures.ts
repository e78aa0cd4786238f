import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { CONVERSION_STATUSES } from '@postwire/core';
import type { ParseResult } from '../parse-result';

/** The error codes a fixture can expect, one per adapter error class. */
export const FIXTURE_ERROR_CODES = ['bad_parameter', 'bad_signature'] as const;
export type FixtureErrorCode = (typeof FIXTURE_ERROR_CODES)[number];

/** The HTTP request a fixture replays, as the network sends it. */
export interface FixtureRequest {
  method: 'GET' | 'POST';
  /** Defaults to `/postback/<adapter id>`. */
  path?: string;
  query?: Record<string, string>;
  headers?: Record<string, string>;
  /** The `Content-Type` value, parameters allowed. */
  contentType?: string;
  /** The body exactly as sent, as text. */
  body?: string;
}

/**
 * One recorded or documented postback and what the adapter must make of it. Exactly one of
 * `expect` and `expectError` is given.
 */
export interface AdapterFixture {
  name: string;
  /** Where the request comes from: a documentation URL and section, or "captured from …". */
  source: string;
  /** Adapter settings for this fixture, merged over the options' config. */
  config?: Record<string, unknown>;
  request: FixtureRequest;
  /** The adapter's exact result: its canonical postbacks, or `{ "ignored": true, "event": "…" }` for an event type it does not use. */
  expect?: ParseResult;
  expectError?: FixtureErrorCode;
  /**
   * A genuine (well-signed, well-formed) notification of an event type the adapter does not turn
   * into conversions (it expects an ignored event, or no postbacks). The tracker must acknowledge it
   * (2xx); conformance fails on a refusal.
   */
  unknownEvent?: boolean;
  /** The answer `respond` must give when every postback was accepted. */
  response?: { status?: number; body: string };
}

/** A fixture together with the file it was read from. */
export interface LoadedFixture {
  file: string;
  fixture: AdapterFixture;
}

const stringMap = z.record(z.string(), z.string());

const canonicalSchema = z
  .object({
    clickId: z.string().optional(),
    goal: z.string().optional(),
    txid: z.string().optional(),
    status: z.enum(CONVERSION_STATUSES).optional(),
    statusByCurrent: z
      .object(Object.fromEntries(CONVERSION_STATUSES.map((s) => [s, z.enum(CONVERSION_STATUSES).optional()])))
      .strict()
      .optional(),
    payout: z.string().optional(),
    revenue: z.string().optional(),
    currency: z.string().optional(),
    country: z.string().optional(),
    buyerIp: z.string().optional(),
    extras: stringMap.optional(),
  })
  .strict();

const fixtureSchema = z
  .object({
    name: z.string().min(1),
    source: z.string().min(1),
    config: z.record(z.string(), z.unknown()).optional(),
    request: z
      .object({
        method: z.enum(['GET', 'POST']),
        path: z.string().startsWith('/').optional(),
        query: stringMap.optional(),
        headers: stringMap.optional(),
        contentType: z.string().optional(),
        body: z.string().optional(),
      })
      .strict(),
    expect: z.union([z.array(canonicalSchema), z.object({ ignored: z.literal(true), event: z.string().min(1) }).strict()]).optional(),
    expectError: z.enum(FIXTURE_ERROR_CODES).optional(),
    unknownEvent: z.boolean().optional(),
    response: z
      .object({ status: z.number().int().min(100).max(599).optional(), body: z.string() })
      .strict()
      .optional(),
  })
  .strict()
  .refine((f) => (f.expect === undefined) !== (f.expectError === undefined), { message: 'give exactly one of "expect" and "expectError"' })
  .refine((f) => f.response === undefined || f.expect !== undefined, { message: '"response" only makes sense with "expect"' })
  .refine((f) => !f.unknownEvent || f.expectError === undefined, {
    message: '"unknownEvent" is a genuine notification: it cannot expect bad_parameter or bad_signature',
  });

/**
 * Reads and validates every `*.json` file in a folder, sorted by name. Throws with the file name
 * and the problem when a fixture is malformed, so a typo fails loudly instead of testing nothing.
 */
export function loadFixtures(fixturesDir: string): LoadedFixture[] {
  const dir = resolve(fixturesDir);
  if (!statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`fixtures folder ${dir} does not exist`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((file) => {
      const text = readFileSync(join(dir, file), 'utf8');
      let raw: unknown;
      try {
        raw = JSON.parse(text);
      } catch (error) {
        throw new Error(`fixture ${file} is not valid JSON: ${(error as Error).message}`);
      }
      const checked = fixtureSchema.safeParse(raw);
      if (!checked.success) {
        const problems = checked.error.issues.flatMap(describeIssue);
        throw new Error(`fixture ${file} is malformed:\n  ${problems.join('\n  ')}`);
      }
      // The validated copy is not used: zod rebuilds records by assignment, which would turn a
      // `__proto__` key in a hostile fixture into a prototype change instead of a plain key.
      return { file, fixture: raw as AdapterFixture };
    });
}

/** One line per problem; for `expect` (postbacks or an ignored event) the problems of each form, so a typo is named. */
function describeIssue(issue: z.ZodIssue): string[] {
  if (issue.code === 'invalid_union') return issue.unionErrors.flatMap((error) => error.issues.flatMap(describeIssue));
  return [`${issue.path.join('.') || '(root)'}: ${issue.message}`];
}
