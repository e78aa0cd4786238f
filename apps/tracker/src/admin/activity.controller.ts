import { Controller, Get, Param, Post, Query, UseGuards } from '@nestjs/common';
import { DeliveryRepository, ReportRepository } from '@postwire/persistence';
import { DeliveryQueue } from '@postwire/runtime';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { PluginRegistry } from '../plugins/plugin-registry';
import { listFilterSchema, reconciliationQuerySchema } from './admin-schemas';

/** The read side of the admin API: what happened to clicks, postbacks, conversions and deliveries. */
@Controller('api')
@UseGuards(AdminAuthGuard)
export class ActivityController {
  constructor(
    private readonly reports: ReportRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueue,
    private readonly registry: PluginRegistry,
  ) {}

  @Get('conversions')
  listConversions(@Query() query: unknown) {
    return this.reports.listConversions(validate(listFilterSchema, query));
  }

  @Get('conversions/:id')
  async getConversion(@Param('id') id: string) {
    const conversion = await this.reports.getConversion(id);
    if (!conversion) throw ApiError.notFound('conversion');
    return conversion;
  }

  /** Pixel-only, S2S-only and both, per campaign and day. */
  @Get('reports/reconciliation')
  reconciliation(@Query() query: unknown) {
    return this.reports.reconciliation(validate(reconciliationQuerySchema, query));
  }

  @Get('postbacks')
  listPostbacks(@Query() query: unknown) {
    return this.reports.listPostbacks(validate(listFilterSchema, query));
  }

  @Get('deliveries')
  listDeliveries(@Query() query: unknown) {
    return this.deliveries.list(validate(listFilterSchema, query));
  }

  @Get('deliveries/:id')
  async getDelivery(@Param('id') id: string) {
    const delivery = await this.deliveries.get(id);
    if (!delivery) throw ApiError.notFound('delivery');
    return { ...delivery, attempts: await this.deliveries.attempts(id), attemptCount: delivery.attempts };
  }

  /** Sends a delivery again now, whatever its state (e.g. after fixing a traffic source's URL). */
  @Post('deliveries/:id/retry')
  async retryDelivery(@Param('id') id: string) {
    if (!(await this.deliveries.requeue(id))) throw ApiError.notFound('delivery');
    await this.queue.removeJob(id);
    const enqueued = await this.queue.enqueue([id]);
    return { id, status: 'pending', enqueued: enqueued === 1 };
  }

  @Get('plugins')
  listPlugins() {
    return {
      adapters: this.registry.listAdapters().map(({ adapter, origin }) => ({
        id: adapter.id,
        displayName: adapter.displayName,
        methods: adapter.methods,
        contentTypes: adapter.contentTypes ?? [],
        configSchema: adapter.configSchema,
        postbackUrlTemplate: adapter.postbackUrlTemplate('{tracker_url}', { id: '{network_id}', slug: '{network_slug}' }),
        origin,
      })),
      presets: this.registry.listPresets().map(({ preset, origin }) => ({ ...preset, origin })),
    };
  }
}
