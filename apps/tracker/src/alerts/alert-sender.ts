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

  constructor(
    private readonly webhooks: AlertWebhookRepository,
    private readonly box: SecretBox,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
  ) {
    const allow = config.forwarding.allowCidrs.length ? new IpAllowlist(config.forwarding.allowCidrs) : undefined;
    const timeoutMs = Math.min(config.forwarding.timeoutMs, ALERT_TIMEOUT_MS);
    this.sender = new HttpSender({ timeoutMs, dispatcher: new Agent({ connect: createGuardedConnector(allow, { timeout: timeoutMs }) }) });
  }

  async send(webhook: AlertWebhook, secretSealed: string, message: AlertMessage): Promise<AlertWebhookSend> {
    const body = alertBody(webhook.format, message);
    let result: { statusCode: number | null; error: string | null };
    try {
      const headers = {
        'content-type': 'application/json',
        ...signWebhook(this.box.open(secretSealed), `msg_${randomUUID()}`, Math.floor(Date.now() / 1000), body),
      };
      result = await this.sender.send({ method: 'POST', url: webhook.url, body, headers });
    } catch (error) {
      result = { statusCode: null, error: `not sent: ${(error as Error).message}` };
    }
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    return this.webhooks.recordSend({
      webhookId: webhook.id,
      event: message.event,
      kind: message.kind,
      subjectId: message.subjectId,
      status: ok ? 'sent' : 'failed',
      statusCode: result.statusCode,
      error: ok ? null : (result.error ?? `HTTP ${result.statusCode}`),
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.sender.close();
  }
}
