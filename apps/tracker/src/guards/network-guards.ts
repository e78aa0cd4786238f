import type { NetworkGuards } from '@postwire/persistence';
import { IpAllowlist } from '@postwire/security';
import { z } from 'zod';
import { ApiError } from '../http/api-error';

/** Most ranges one network may list; networks post from a handful of addresses. */
const MAX_ALLOWLIST_ENTRIES = 256;

/** The `guards` object of `POST|PATCH /api/networks`; CIDRs are checked by {@link mergeGuards}, which names the bad entry. */
export const networkGuardsSchema = z
  .object({
    // Entries are checked one by one in mergeGuards, so every bad one is named `guards.ipAllowlist[i]`.
    ipAllowlist: z.array(z.unknown()).max(MAX_ALLOWLIST_ENTRIES).optional(),
    requireApiKey: z.boolean().optional(),
    requireSignature: z.boolean().optional(),
  })
  .strict();

/**
 * Applies a guards change on top of the stored guards (each given field replaces the stored one;
 * `ipAllowlist: []` removes the allowlist) and returns the result with CIDRs in canonical form.
 * A bad range is a 400 naming it as `guards.ipAllowlist[i]`.
 */
export function mergeGuards(change: z.infer<typeof networkGuardsSchema> | undefined, stored: NetworkGuards = {}): NetworkGuards {
  const { ipAllowlist, ...flags } = change ?? {};
  const next: NetworkGuards = { ...stored, ...flags };
  if (ipAllowlist) {
    ipAllowlist.forEach((entry, i) => {
      const problems = IpAllowlist.validate([entry as string]);
      if (problems.length) throw ApiError.badParameter(`guards.ipAllowlist[${i}]`, problems[0].slice(0, 200));
    });
    next.ipAllowlist = [...new IpAllowlist(ipAllowlist as string[]).entries];
  }
  if (next.ipAllowlist?.length === 0) delete next.ipAllowlist;
  for (const flag of ['requireApiKey', 'requireSignature'] as const) if (next[flag] === false) delete next[flag];
  return next;
}
