import { randomUUID } from 'node:crypto';
import { Inject, Injectable, type OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { HttpSender } from '@postwire/forwarding';
import { AlertWebhookRepository, type AlertWebhook, type AlertWebhookSend } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { createGuardedConnector, IpAllowlist, SecretBox, signWebhook } from '@postwire/security';
import { Agent } from 'undici';
import { alertBody, type AlertMessage } from './alert-message';

/** An alert webhook gets less time than a delivery: the checker waits for it. */
const ALERT_TIMEOUT_MS = 10_000;

/**
 * Sends one alert message to one webhook and records the send. The body is signed with Standard
 * Webhooks headers (`webhook-id`, `webhook-timestamp`, `webhook-signature`) under the webhook's own
 * secret, as deliveries are under a source's (docs/signing.md); the outbound address guard is the
 * deliveries' own, so FORWARD_ALLOW_CIDRS decides which private addresses an alert may reach.
 */
@Injectable()
export class AlertSender implements OnApplicationShutdown {
  private readonly sender: HttpSender;
  private readonly retryScheduleMs: readonly number[];

  constructor(
    private readonly webhooks: AlertWebhookRepository,
    private readonly box: SecretBox,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
  ) {
    const allow = config.forwarding.allowCidrs.length ? new IpAllowlist(config.forwarding.allowCidrs) : undefined;
    const timeoutMs = Math.min(config.forwarding.timeoutMs, ALERT_TIMEOUT_MS);
    this.sender = new HttpSender({ timeoutMs, dispatcher: new Agent({ connect: createGuardedConnector(allow, { timeout: timeoutMs }) }) });
    this.retryScheduleMs = config.alerts.retryScheduleMs;
  }

  /**
   * One try of `message` (its `attempt`-th). A failed alert (not the test button's sample, whose answer the admin
   * sees at once) gets its next try planned by ALERT_RETRY_SCHEDULE; the dispatcher makes it when due.
   */
  async send(webhook: AlertWebhook, secretSealed: string, message: AlertMessage, attempt = 1): Promise<AlertWebhookSend> {
    const body = alertBody(webhook.format, message);
    const messageId = message.messageId ?? `msg_${randomUUID()}`;
    let result: { statusCode: number | null; error: string | null };
    try {
      const headers = {
        'content-type': 'application/json',
        ...signWebhook(this.box.open(secretSealed), messageId, Math.floor(Date.now() / 1000), body),
      };
      result = await this.sender.send({ method: 'POST', url: webhook.url, body, headers });
    } catch (error) {
      result = { statusCode: null, error: `not sent: ${(error as Error).message}` };
    }
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const delay = ok || message.event === 'test' ? undefined : this.retryScheduleMs[attempt - 1];
    return this.webhooks.recordSend({
      webhookId: webhook.id,
      event: message.event,
      kind: message.kind,
      subjectId: message.subjectId,
      status: ok ? 'sent' : 'failed',
      statusCode: result.statusCode,
      error: ok ? null : (result.error ?? `HTTP ${result.statusCode}`),
      messageId,
      subjectName: message.subjectName,
      message: message.message,
      at: message.at,
      attempt,
      retryAt: delay === undefined ? null : new Date(Date.now() + delay),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }
}
