import type { AlertEvent, AlertWebhookFormat } from '@postwire/persistence';

/** What one webhook message says: an alert that started, resolved, or the test button's sample. */
export interface AlertMessage {
  /** The Standard Webhooks `webhook-id`; a retry repeats it. New when left out. */
  messageId?: string;
  event: AlertEvent;
  kind: string;
  subjectId: string;
  subjectName: string;
  message: string;
  at: Date;
}

/**
 * The body sent to a webhook: `json` is Postwire's own object (event, alert, subject, message, at);
 * `slack` is `{"text": …}`, which Slack incoming webhooks and compatible chat tools (Mattermost,
 * Rocket.Chat, Discord's /slack endpoint) post as a message.
 */
export function alertBody(format: AlertWebhookFormat, m: AlertMessage): string {
  if (format === 'slack') {
    const prefix = m.event === 'resolved' ? ':white_check_mark: Resolved' : m.event === 'test' ? ':wave: Test' : ':rotating_light: Alert';
    return JSON.stringify({ text: `${prefix} (${m.kind}) ${m.subjectName}: ${m.message}` });
  }
  return JSON.stringify({
    type: `alert.${m.event}`,
    alert: { kind: m.kind, subjectId: m.subjectId, subjectName: m.subjectName, message: m.message },
    at: m.at.toISOString(),
  });
}
