// The files `npm run plugin:new -- --target <id>` writes: a forwarding target for a JSON-over-HTTPS
// conversions API that passes typecheck, lint, prettier and its own tests as generated.
// Plain CommonJS without dependencies, like plugin-new.js which uses it.
'use strict';

/** @param {{ id: string, camel: string, displayName: string }} names */
function targetFiles({ id, camel, displayName }) {
  const targetName = `${camel}Target`;
  const constant = id.toUpperCase().replace(/-/g, '_');
  const endpoint = 'https://api.example.com/v1/conversions';

  return {
    [`${id}.target.ts`]: `import {
  answerJson,
  defineTarget,
  mapEvent,
  retryAfterMs,
  sha256NormalizedEmail,
  sha256NormalizedPhone,
  sha256Trimmed,
  type ConfigOf,
  type ConfigSchema,
  type EventMappingRule,
  type PersonalNormalisation,
  type TargetAnswer,
  type TargetBuild,
  type TargetContext,
  type TargetConversion,
  type TargetVerdict,
} from '@postwire/plugin-sdk';

/**
 * ${displayName} conversions API: one JSON event per conversion, POSTed over HTTPS with a bearer token.
 * TODO: link ${displayName}'s documentation (page and section) for the endpoint, every body field and the
 * answers, as plugins/meta-capi does, and keep what you could not confirm in README.md.
 */

/** TODO: the event names ${displayName} accepts; the operator's mapping may choose only these. */
export const ${constant}_EVENTS = ['Purchase', 'Lead'] as const;

/** Approved conversions are purchases; nothing else is sent until the operator maps it. */
export const ${constant}_DEFAULT_MAPPING: readonly EventMappingRule[] = [{ status: 'approved', event: 'Purchase' }];

/** TODO: how ${displayName} normalises email and phone before hashing (EMAIL_NORMALISATIONS and PHONE_NORMALISATIONS in the SDK). */
const NORMALISATION: PersonalNormalisation = { email: 'lowercase', phone: 'e164' };

// The settings an operator gives when choosing ${displayName} for a traffic source; \`secret\` fields are
// sealed at rest and masked in the API and console. TODO: add what ${displayName} needs (an account id …).
const configSchema = {
  endpointUrl: {
    type: 'string',
    title: 'Endpoint URL',
    description: 'Where ${displayName} receives conversions',
    help: 'TODO: where ${displayName} documents it; change it only for a test receiver',
    default: '${endpoint}',
  },
  accessToken: {
    type: 'string',
    title: 'Access token',
    description: 'The ${displayName} API token (sent in the Authorization header, never in the URL or body)',
    help: 'TODO: where in ${displayName} to create it',
    required: true,
    secret: true,
  },
} as const satisfies ConfigSchema;

type ${camel.charAt(0).toUpperCase() + camel.slice(1)}Config = ConfigOf<typeof configSchema>;

/** A decimal string as a JSON number; undefined when there is none or it is not a number. */
function amount(value: string | null): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

function build(conversion: TargetConversion, config: ${camel.charAt(0).toUpperCase() + camel.slice(1)}Config, context: TargetContext): TargetBuild {
  const mapping = context.mapping.length ? context.mapping : ${constant}_DEFAULT_MAPPING;
  const event = mapEvent(mapping, conversion);
  const goal = conversion.goal ? \`goal "\${conversion.goal}"\` : 'the default goal';
  if (event === null) return { kind: 'not_sent', reason: \`the event mapping sends nothing for status "\${conversion.status}" and \${goal}\` };
  if (!/^https?:\\/\\//.test(config.endpointUrl) || !URL.canParse(config.endpointUrl))
    return { kind: 'failed', verdict: { kind: 'permanent', reason: 'the endpoint URL is not an http(s) URL; correct it in the target settings', alert: true } };
  const { click, personal } = conversion;
  // Personal data arrives as digests (nothing raw is stored); these helpers hash a raw value and pass a digest through.
  // TODO: add the click identifier ${displayName} matches on (conversion.click.identifiers) and send nothing without it.
  const user = {
    email: sha256NormalizedEmail(personal.email, NORMALISATION.email),
    phone: sha256NormalizedPhone(personal.phone, NORMALISATION.phone),
    external_id: sha256Trimmed(personal.externalId),
    ip: click.ip ?? undefined,
    user_agent: click.userAgent ?? undefined,
  };
  const body = {
    event_name: event,
    // Stable across retries, so ${displayName} can drop a duplicate. TODO: confirm it deduplicates on this field.
    event_id: conversion.id,
    event_time: Math.floor(Math.min(conversion.occurredAt.getTime(), context.now.getTime()) / 1000),
    value: amount(conversion.payout ?? conversion.revenue),
    currency: conversion.currency ?? undefined,
    order_id: conversion.txid ?? undefined,
    page_url: click.landingUrl ?? undefined,
    user,
    // TODO: ${displayName}'s test mode, if it has one.
    test: conversion.isTest || undefined,
  };
  return {
    kind: 'send',
    event,
    request: {
      method: 'POST',
      url: config.endpointUrl,
      headers: { 'content-type': 'application/json', authorization: \`Bearer \${config.accessToken}\` },
      body: JSON.stringify(body),
    },
  };
}

/** The error message of an answer's JSON body (\`{ "error": { "message" } }\` or \`{ "message" }\`), for the delivery log. TODO: ${displayName}'s real shape. */
function detail(answer: TargetAnswer): string {
  const json = answerJson(answer) as { message?: unknown; error?: { message?: unknown } } | undefined;
  const message = json?.error?.message ?? json?.message;
  return typeof message === 'string' && message.trim() ? \`: \${message.slice(0, 200)}\` : '';
}

function read(answer: TargetAnswer): TargetVerdict {
  const code = answer.statusCode;
  if (code === null) return { kind: 'retry', reason: \`no answer from ${displayName} (\${answer.error ?? 'no response'})\` };
  // TODO: if ${displayName} answers 2xx with an error in the body, read it here.
  if (code >= 200 && code < 300) return { kind: 'delivered' };
  if (code === 429) return { kind: 'retry', reason: \`${displayName} rate limit (HTTP 429\${detail(answer)})\`, afterMs: retryAfterMs(answer) };
  if (code === 401 || code === 403)
    return { kind: 'permanent', reason: \`${displayName} refused the access token (HTTP \${code}\${detail(answer)}); set a valid token\`, alert: true };
  if (code >= 500) return { kind: 'retry', reason: \`${displayName} error (HTTP \${code}\${detail(answer)})\`, afterMs: retryAfterMs(answer) };
  return { kind: 'permanent', reason: \`${displayName} refused the event (HTTP \${code}\${detail(answer)})\` };
}

/** The ${displayName} forwarding target. */
export const ${targetName} = defineTarget({
  id: '${id}',
  displayName: '${displayName}',
  configSchema,
  events: ${constant}_EVENTS,
  normalisation: NORMALISATION,
  defaultMapping: ${constant}_DEFAULT_MAPPING,
  build,
  // TODO: a retraction or restatement if ${displayName} has one; without \`update\`, status changes are not sent.
  read: (answer) => read(answer),
});
`,

    'index.ts': `import { definePlugin } from '@postwire/plugin-sdk';
import { ${targetName} } from './${id}.target';

export default definePlugin({ targets: [${targetName}] });
`,

    [`${id}.target.spec.ts`]: `import type { TargetConversion } from '@postwire/plugin-sdk';
import { runTargetConformance, testTargetContext } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { ${targetName} } from './${id}.target';

const CONFIG = { endpointUrl: '${endpoint}', accessToken: 'test-token-123' };
const NOW = new Date('2026-06-15T12:00:00Z');

runTargetConformance(${targetName}, { config: CONFIG });

function conversion(over: Partial<TargetConversion> = {}): TargetConversion {
  return {
    id: '01J0CONVERSION0000000000001',
    status: 'approved',
    previousStatus: null,
    goal: null,
    txid: 'T-1001',
    payout: '12.50',
    revenue: null,
    currency: 'EUR',
    occurredAt: new Date('2026-06-15T11:00:00Z'),
    click: { id: 'c1', at: new Date('2026-06-15T10:00:00Z'), ip: '203.0.113.7', userAgent: 'Mozilla/5.0', country: 'FR', landingUrl: null, identifiers: {} },
    personal: { email: ' Buyer@Example.com ' },
    isTest: false,
    ...over,
  };
}

describe('${id} target', () => {
  it('is the default export of the plugin', () => {
    expect(plugin.targets).toEqual([${targetName}]);
  });

  it('sends the mapped event with the email hashed and the token in a header', async () => {
    const built = await ${targetName}.build(conversion(), CONFIG, testTargetContext(NOW));
    if (built.kind !== 'send') throw new Error(\`expected a request, got \${JSON.stringify(built)}\`);
    expect(built.event).toBe('Purchase');
    expect(built.request.headers.authorization).toBe('Bearer test-token-123');
    const body = JSON.parse(built.request.body ?? 'null') as { value: number; user: { email: string } };
    expect(body.value).toBe(12.5);
    expect(body.user.email).toMatch(/^[0-9a-f]{64}$/);
    expect(built.request.body).not.toMatch(/buyer@example\\.com|test-token-123/i);
  });

  it('sends nothing when the mapping drops the event', async () => {
    const built = await ${targetName}.build(conversion({ status: 'declined' }), CONFIG, testTargetContext(NOW));
    expect(built).toEqual({ kind: 'not_sent', reason: 'the event mapping sends nothing for status "declined" and the default goal' });
  });

  it('retries a 429 after Retry-After and alerts on a refused token', () => {
    expect(${targetName}.read({ statusCode: 429, headers: { 'retry-after': '30' }, body: null, error: null }, CONFIG)).toEqual({
      kind: 'retry',
      reason: '${displayName} rate limit (HTTP 429)',
      afterMs: 30_000,
    });
    expect(${targetName}.read({ statusCode: 401, headers: {}, body: '{"error":{"message":"bad token"}}', error: null }, CONFIG)).toMatchObject({
      kind: 'permanent',
      alert: true,
    });
  });
});
`,

    'README.md': `# ${displayName} target

Forwards Postwire conversions to ${displayName}'s conversions API: one JSON event per conversion, sent by
the forwarding worker with retries, a delivery log and alerts (see docs/plugins.md, "Forwarding targets").

## What to change

1. \`${id}.target.ts\`: every \`TODO\`: the real endpoint and body fields, the event names
   (\`${constant}_EVENTS\`), the default mapping, how ${displayName} normalises email and phone before hashing,
   the click identifier it matches on, and how it answers (an error inside a 2xx body, its own rate-limit
   codes). Add \`update\` if ${displayName} can retract or restate an event (a refund).
2. \`configSchema\`: the settings an operator gives (an account or pixel id …). Credentials go in headers: the
   request's URL and body are kept in the delivery log.
3. \`${id}.target.spec.ts\`: keep \`runTargetConformance\`; add a test per documented rule, and an
   integration spec against a fake ${displayName} on loopback (as \`plugins/tiktok-events\` does).
4. This README: where the format comes from, and what you could not confirm.

## Where the format comes from

- TODO: link ${displayName}'s documentation (page and section) for the endpoint, each field and the answers.

## Answers

| ${displayName} answers | Postwire does |
| --- | --- |
| 2xx | delivered |
| 429 | retries after \`Retry-After\` |
| 401, 403 | gives up and alerts the operator (a bad or revoked token) |
| 5xx, no answer | retries |
| any other 4xx | gives up (the event was refused) |

## Not confirmed

- TODO: every field, event name or answer you could not confirm in ${displayName}'s documentation.
`,
  };
}

module.exports = { targetFiles };
