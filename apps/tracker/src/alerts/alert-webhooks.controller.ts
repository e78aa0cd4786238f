import { Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { maskUrl } from '@postwire/forwarding';
import { AlertWebhookRepository, type AlertWebhook } from '@postwire/persistence';
import { newWebhookSecret, SecretBox } from '@postwire/security';
import { z } from 'zod';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { noContent } from '../schemas/views';
import { AlertSender } from './alert-sender';
import { alertWebhookSendView, alertWebhookView, createAlertWebhookSchema, newAlertWebhookView, updateAlertWebhookSchema } from './alert-webhook-schemas';

/**
 * Where alerts go besides the dashboard (admins only: a webhook holds a signing secret). The test
 * button sends one sample message at once, so the admin sees the endpoint's own answer; real alerts
 * are sent by the periodic check (AlertDispatcher), never from a request.
 */
@Controller('api/alert-webhooks')
@UseGuards(AdminAuthGuard)
@RequireAdminScope()
export class AlertWebhooksController {
  constructor(
    private readonly webhooks: AlertWebhookRepository,
    private readonly sender: AlertSender,
    private readonly box: SecretBox,
  ) {}

  @Get()
  @ApiRoute({ summary: 'List the alert webhooks', response: z.array(alertWebhookView) })
  async list() {
    return (await this.webhooks.list()).map(shown);
  }

  @Post()
  @ApiRoute({ summary: 'Add an alert webhook (its signing secret is in this answer only)', body: createAlertWebhookSchema, response: newAlertWebhookView })
  async create(@Valid('body') input: z.output<typeof createAlertWebhookSchema>) {
    const secret = newWebhookSecret();
    const webhook = await this.webhooks.create({ ...input, secretSealed: this.box.seal(secret) });
    return { ...shown(webhook), secret };
  }

  @Patch(':id')
  @ApiRoute({ summary: 'Change an alert webhook: name, URL, format, enabled', body: updateAlertWebhookSchema, response: alertWebhookView })
  async update(@Param('id') id: string, @Valid('body') input: z.output<typeof updateAlertWebhookSchema>) {
    const webhook = await this.webhooks.update(id, input);
    if (!webhook) throw ApiError.notFound('alert webhook');
    return shown(webhook);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiRoute({ summary: 'Remove an alert webhook and its send record', response: noContent })
  async remove(@Param('id') id: string): Promise<void> {
    if (!(await this.webhooks.delete(id))) throw ApiError.notFound('alert webhook');
  }

  @Post(':id/test')
  @HttpCode(200)
  @ApiRoute({ summary: 'Send a sample alert to the webhook now and record the answer', response: alertWebhookSendView })
  async test(@Param('id') id: string) {
    const [webhook, sealed] = await Promise.all([this.webhooks.get(id), this.webhooks.sealedSecret(id)]);
    if (!webhook || !sealed) throw ApiError.notFound('alert webhook');
    return this.sender.send(webhook, sealed, {
      event: 'test',
      kind: 'test',
      subjectId: webhook.id,
      subjectName: webhook.name,
      message: 'A test message from Postwire: this webhook receives its alerts.',
      at: new Date(),
    });
  }

  @Get(':id/sends')
  @ApiRoute({ summary: 'What was sent to the webhook, newest first (the last 50)', response: z.array(alertWebhookSendView) })
  async sends(@Param('id') id: string) {
    if (!(await this.webhooks.get(id))) throw ApiError.notFound('alert webhook');
    return this.webhooks.sends(id);
  }
}

/** A webhook as shown: credentials in its URL (a Slack webhook's path is one) masked. */
function shown(webhook: AlertWebhook): AlertWebhook {
  return { ...webhook, url: maskUrl(webhook.url) };
}
