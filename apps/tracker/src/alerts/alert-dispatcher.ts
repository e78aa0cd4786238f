import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { AlertWebhookRepository, type AlertChange } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { AlertSender } from './alert-sender';
import { CurrentAlerts } from './current-alerts';

/**
 * The periodic task that tells the alert webhooks what started and what resolved: every
 * ALERT_CHECK_INTERVAL_MS it computes the open alerts, reconciles them with the stored states (one
 * tracker of several gets each change) and sends each change outside its cool-down to every
 * enabled webhook. Off the request path: a slow webhook delays only the next check.
 */
@Injectable()
export class AlertDispatcher implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('Alerts');
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;

  constructor(
    private readonly current: CurrentAlerts,
    private readonly webhooks: AlertWebhookRepository,
    private readonly sender: AlertSender,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => {
      if (this.running) return;
      this.running = this.check()
        .catch((error: Error) => this.logger.warn(`alert check failed: ${error.message}`))
        .finally(() => (this.running = undefined));
    }, this.config.alerts.checkIntervalMs);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One check: what changed since the last one, sent where it is to go; then the failed messages whose retry is due. */
  async check(now = new Date()): Promise<void> {
    const alerts = await this.current.list(now);
    const changes = await this.webhooks.reconcile(alerts, this.config.alerts.cooldownMs);
    const toSend = changes.filter((c) => c.send);
    if (toSend.length) await this.sendChanges(toSend, now);
    await this.retryDue(now);
  }

  /**
   * Failed messages whose retry is due, each taken by one tracker, sent again as they were (to a webhook still
   * enabled); one superseded by a newer message about the same alert (its resolution) is dropped, not repeated.
   */
  async retryDue(now = new Date()): Promise<void> {
    const due = await this.webhooks.takeDueRetries(now);
    if (due.length === 0) return;
    const targets = new Map((await this.webhooks.enabledWithSecrets()).map((t) => [t.id, t]));
    for (const retry of due) {
      const target = targets.get(retry.webhookId);
      if (retry.superseded || !target) continue;
      const { secretSealed, ...webhook } = target;
      const sent = await this.sender.send(webhook, secretSealed, retry, retry.attempt + 1);
      if (sent.status === 'failed')
        this.logger.warn(`alert webhook ${webhook.name} refused ${retry.event} ${retry.kind} again (attempt ${sent.attempt}): ${sent.error}`);
    }
  }

  private async sendChanges(toSend: AlertChange[], now: Date): Promise<void> {
    const targets = await this.webhooks.enabledWithSecrets();
    for (const change of toSend) {
      for (const { secretSealed, ...webhook } of targets) {
        const sent = await this.sender.send(webhook, secretSealed, { ...change, at: now });
        if (sent.status === 'failed') this.logger.warn(`alert webhook ${webhook.name} refused ${change.event} ${change.kind}: ${sent.error}`);
      }
    }
  }
}
