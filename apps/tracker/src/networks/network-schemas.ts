import { z } from 'zod';
import { networkGuardsSchema } from '../guards/network-guards';
import { tags, version } from '../lifecycle';
import { currency, name, UUID_SHAPE } from '../schemas/fields';

export const createNetworkSchema = z
  .object({
    name,
    slug: z
      .string()
      .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'must be lower-case letters, digits and dashes')
      // `/postback/:network` takes an id or a slug: a slug shaped like an id would be unreachable,
      // or would take over the postback URL of the network with that id.
      .refine((v) => !UUID_SHAPE.test(v), 'must not look like a network id (a UUID)')
      .optional(),
    adapter: z.string().min(1).max(64).default('generic'),
    adapterConfig: z.record(z.unknown()).default({}),
    defaultCurrency: currency.optional(),
    attributionWindowDays: z.number().int().min(1).max(3650).optional(),
    guards: networkGuardsSchema.optional(),
    tags: tags.optional(),
  })
  .strict();

/**
 * PATCH: every field optional; `adapterConfig` and `guards` change only the keys given, `tags` replaces the
 * list. The adapter itself cannot change. `version`: the one the network was read with (docs/lifecycle.md).
 */
export const updateNetworkSchema = createNetworkSchema
  .omit({ adapter: true })
  .partial()
  .extend({ adapterConfig: z.record(z.unknown()).optional(), version: version.optional() })
  .strict();

export function slugify(text: string): string {
  const slug = text
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 48);
  // A name that is itself an id would give a slug shaped like one, which the slug rule refuses.
  return UUID_SHAPE.test(slug) ? `n-${slug}` : slug || 'network';
}
