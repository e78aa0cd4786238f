import { z } from 'zod';
import { timestamp, view } from './views';

/** An API key as the admin API shows it: never the key, except once in the answer that made it. */
export const apiKeyView = view({
  id: z.string(),
  scope: z.enum(['admin', 'read', 'network']),
  networkId: z.string().nullable(),
  label: z.string().nullable(),
  createdAt: timestamp,
  revokedAt: timestamp.nullable(),
  /** Who made it; null when unknown (older keys, the ADMIN_API_KEY key). */
  createdBy: z.object({ id: z.string().nullable(), email: z.string() }).nullable(),
  /** Set when the key ends by itself (its maker lost the rights it needs, with API_KEYS_OF_LOST_ADMINS=expire). */
  expiresAt: timestamp.nullable(),
  /** While set the key is refused; it can be enabled again (a revoked key cannot). */
  disabledAt: timestamp.nullable(),
  /** Send it back with an edit: a stale one is refused (409 version_conflict). */
  version: z.number().int(),
});

/** The answer that makes a key: the only time the key itself is shown. */
export const newApiKeyView = apiKeyView.extend({ key: z.string() });
