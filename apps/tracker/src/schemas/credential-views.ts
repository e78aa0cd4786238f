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
});

/** The answer that makes a key: the only time the key itself is shown. */
export const newApiKeyView = apiKeyView.extend({ key: z.string() });
