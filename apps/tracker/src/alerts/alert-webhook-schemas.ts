import { z } from 'zod';
import { name } from '../schemas/fields';
import { timestamp, view } from '../schemas/views';

/** An absolute http(s) URL: where alerts are POSTed (the outbound address rules of deliveries apply when sending). */
const webhookUrl = z
  .string()
  .trim()
  .max(2048)
  .refine((v) => {
    try {
      return ['http:', 'https:'].includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, 'must be an absolute http(s) URL');

const format = z.enum(['json', 'slack']);

export const createAlertWebhookSchema = z.object({ name, url: webhookUrl, format: format.default('json') }).strict();
export const updateAlertWebhookSchema = z
  .object({ name: name.optional(), url: webhookUrl.optional(), format: format.optional(), enabled: z.boolean().optional() })
  .strict();

export const alertWebhookView = view({
  id: z.string(),
  name: z.string(),
  url: z.string(),
  format,
  enabled: z.boolean(),
  createdAt: timestamp,
});
/** The answer that made the webhook: the only one that holds its signing secret. */
export const newAlertWebhookView = alertWebhookView.extend({ secret: z.string() });

export const alertWebhookSendView = view({
  id: z.number().int(),
  webhookId: z.string(),
  event: z.enum(['fired', 'resolved', 'test']),
  kind: z.string(),
  subjectId: z.string(),
  status: z.enum(['sent', 'failed']),
  statusCode: z.number().int().nullable(),
  error: z.string().nullable(),
  sentAt: timestamp,
  /** 1 for a message's first try, 2… for its retries. */
  attempt: z.number().int(),
  /** When this failed message is tried again; null when it will not be (sent, a test, superseded or out of attempts). */
  retryAt: timestamp.nullable(),
});
