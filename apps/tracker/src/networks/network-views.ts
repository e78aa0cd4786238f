import { z } from 'zod';
import { apiKeyView, newApiKeyView } from '../schemas/credential-views';
import { trackingTokenView } from '../schemas/tracking-tokens';
import { lifecycleFields } from '../lifecycle';
import { timestamp, view } from '../schemas/views';

/** A network as the admin API shows it: secret adapter settings as `********`. */
export const networkView = view({
  id: z.string(),
  name: z.string(),
  slug: z.string(),
  adapter: z.string(),
  adapterConfig: z.record(z.unknown()),
  defaultCurrency: z.string(),
  attributionWindowDays: z.number().int(),
  guards: view({ ipAllowlist: z.array(z.string()).optional(), requireApiKey: z.boolean().optional(), requireSignature: z.boolean().optional() }),
  ...lifecycleFields,
  /** While set, deliveries of this network's conversions wait; its postbacks are still taken (docs/lifecycle.md). */
  pausedAt: timestamp.nullable(),
  createdAt: timestamp,
});

export const postbackUrlView = view({ networkId: z.string(), adapter: z.string(), url: z.string() });

export const networkApiKeyView = apiKeyView;
export const newNetworkApiKeyView = newApiKeyView;

/** A network's signing secret: never the secret, except once in the answer that made it. */
export const networkSecretView = view({
  id: z.string(),
  networkId: z.string(),
  label: z.string().nullable(),
  createdAt: timestamp,
  revokedAt: timestamp.nullable(),
});
export const newNetworkSecretView = networkSecretView.extend({ secret: z.string() });

/** What a test postback did, as the network's own request would have seen it. */
export const testPostbackView = view({
  adapter: z.string(),
  request: view({ method: z.string(), url: z.string() }),
  statusCode: z.number().int(),
  body: z.string(),
  guards: view({ passed: z.boolean(), refusedBy: z.string().optional(), message: z.unknown().optional() }),
  outcome: z.string().nullable(),
  conversionId: z.string().nullable(),
  reason: z.string().nullable(),
  /** Always true: what the test made is marked test. */
  test: z.literal(true),
  /** Whether the operator asked for the test conversion to be forwarded. */
  forward: z.boolean(),
});

/** One adapter setting, as the plugin SDK's ConfigField describes it: the console renders the network's settings form from these. */
export const configFieldView = view({
  type: z.enum(['string', 'boolean', 'number']),
  title: z.string().nullable(),
  description: z.string(),
  help: z.string().nullable(),
  required: z.boolean(),
  secret: z.boolean(),
  enum: z.array(z.string()).nullable(),
  default: z.union([z.string(), z.boolean(), z.number()]).nullable(),
});

/** A traffic-source preset, as the plugin SDK's TrafficSourcePreset describes it. */
export const presetView = view({
  id: z.string(),
  displayName: z.string(),
  /** Null for a link-only preset: the traffic source made from it needs its own postbackUrl. */
  postbackUrlTemplate: z.string().nullable(),
  statusMap: z.record(z.string()),
  clickIdMacro: z.string(),
  reference: z.string(),
  values: z.record(view({ description: z.string(), pattern: z.string().nullable() })),
  tokens: z.array(trackingTokenView),
  tokensReference: z.string().nullable(),
  origin: z.string(),
});

/** The installed adapters and traffic-source presets. */
export const pluginsView = view({
  adapters: z.array(
    view({
      id: z.string(),
      displayName: z.string(),
      methods: z.array(z.enum(['GET', 'POST'])).readonly(),
      contentTypes: z.array(z.string()).readonly(),
      configSchema: z.record(configFieldView),
      postbackUrlTemplate: z.string(),
      origin: z.string(),
    }),
  ),
  presets: z.array(presetView),
});
