import { Body, Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { maskHeaders, maskUrl } from '@postwire/forwarding';
import { DeliveryRepository, ReportRepository, type Delivery } from '@postwire/persistence';
import { Access, campaignFilter, ClientVisible, requireCampaign, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { PluginRegistry } from '../plugins/plugin-registry';
import { listFilterSchema, reconciliationQuerySchema, replayDeliveriesSchema } from '../schemas/admin-schemas';
import { DeliveryResender } from '../deliveries/delivery-resender';
import { ConversionExport, wantsCsv } from './conversion-export';
import type { FastifyRequest } from 'fastify';

/** The read side of the admin API: what happened to clicks, postbacks, conversions and deliveries. */
@Controller('api')
@UseGuards(AdminAuthGuard)
export class ActivityController {
  constructor(
    private readonly reports: ReportRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly resender: DeliveryResender,
    private readonly registry: PluginRegistry,
    private readonly conversionExport: ConversionExport,
  ) {}

  /** JSON: recent conversions by click or id. CSV (`format=csv` or Accept: text/csv): an export with the stats report's range and filters. */
  @ApiDoc({ summary: 'List conversions, newest first (CSV: export by range and filters)', query: listFilterSchema })
  @Get('conversions')
  @ClientVisible()
  async listConversions(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Access() scope: AccessScope) {
    if (wantsCsv(req, typeof query?.format === 'string' ? query.format : undefined)) return this.conversionExport.csv(query, scope.allowedCampaignIds);
    const filter = validate(listFilterSchema, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    return none ? [] : this.reports.listConversions({ ...filter, campaignIds });
  }

  @ApiDoc({ summary: 'One conversion with its status history' })
  @Get('conversions/:id')
  @ClientVisible()
  async getConversion(@Param('id') id: string, @Access() scope: AccessScope) {
    const conversion = await this.reports.getConversion(id);
    if (!conversion) throw ApiError.notFound('conversion');
    requireCampaign(scope, conversion.campaignId, 'conversion');
    return conversion;
  }

  /** Pixel-only, S2S-only and both, per campaign and day. */
  @ApiDoc({ summary: 'Pixel-only, S2S-only and both, per campaign and day', query: reconciliationQuerySchema })
  @Get('reports/reconciliation')
  @ClientVisible()
  async reconciliation(@Query() query: unknown, @Access() scope: AccessScope) {
    const filter = validate(reconciliationQuerySchema, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    return none ? [] : this.reports.reconciliation({ ...filter, campaignIds });
  }

  /** For a client: only postbacks for clicks of its campaigns. */
  @ApiDoc({ summary: 'List received postbacks with their outcome', query: listFilterSchema })
  @Get('postbacks')
  @ClientVisible()
  async listPostbacks(@Query() query: unknown, @Access() scope: AccessScope) {
    const filter = validate(listFilterSchema, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    return none ? [] : this.reports.listPostbacks({ ...filter, campaignIds });
  }

  @ApiDoc({ summary: 'List deliveries to traffic sources', query: listFilterSchema })
  @Get('deliveries')
  @ClientVisible()
  async listDeliveries(@Query() query: unknown, @Access() scope: AccessScope) {
    const filter = validate(listFilterSchema, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    if (none) return [];
    return (await this.deliveries.list({ ...filter, campaignIds })).map(deliveryView);
  }

  @ApiDoc({ summary: 'One delivery with every attempt' })
  @Get('deliveries/:id')
  @ClientVisible()
  async getDelivery(@Param('id') id: string, @Access() scope: AccessScope) {
    const delivery = await this.deliveries.get(id);
    if (!delivery) throw ApiError.notFound('delivery');
    if (scope.allowedCampaignIds) {
      const [conversion] = await this.reports.listConversions({ conversionId: delivery.conversionId, limit: 1 });
      if (!conversion) throw ApiError.notFound('delivery');
      requireCampaign(scope, conversion.campaignId, 'delivery');
    }
    const attempts = (await this.deliveries.attempts(id)).map((a) => ({ ...a, url: maskUrl(a.url) }));
    return { ...deliveryView(delivery), attempts, attemptCount: delivery.attempts };
  }

  /** Re-sends the deliveries of one traffic source created in `[from, to)`, optionally only one status (e.g. `dead`). */
  @ApiDoc({ summary: 'Re-send the deliveries of a traffic source in a time range', body: replayDeliveriesSchema })
  @Post('deliveries/replay')
  @HttpCode(200)
  async replayDeliveries(@Body() body: unknown) {
    const filter = validate(replayDeliveriesSchema, body);
    return { ...filter, status: filter.status ?? null, ...(await this.resender.replay(filter)) };
  }

  /** Sends a delivery again now, whatever its state, rendered with the source's current settings (e.g. after fixing its URL). */
  @ApiDoc({ summary: 'Send one delivery again now' })
  @Post('deliveries/:id/retry')
  @HttpCode(200)
  async retryDelivery(@Param('id') id: string) {
    const result = await this.resender.retry(id);
    if (!result) throw ApiError.notFound('delivery');
    return result;
  }

  @ApiDoc({ summary: 'Installed network adapters and traffic-source presets', tag: 'plugins' })
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

/** A delivery as the admin API shows it: credentials in its URL and headers masked. */
function deliveryView(delivery: Delivery) {
  return { ...delivery, url: maskUrl(delivery.url), headers: maskHeaders(delivery.headers) };
}
