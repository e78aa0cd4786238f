import { Body, Controller, Get, HttpCode, Param, Post, Query, UseGuards } from '@nestjs/common';
import { maskHeaders, maskUrl } from '@postwire/forwarding';
import { DeliveryRepository, ReportRepository, type Delivery } from '@postwire/persistence';
import { Access, campaignFilter, requireCampaign, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { listFilterSchema, replayDeliveriesSchema } from '../schemas/admin-schemas';
import { DeliveryResender } from './delivery-resender';

/** What the tracker owes traffic sources: the deliveries, their attempts, and sending them again. */
@Controller('api/deliveries')
@UseGuards(AdminAuthGuard)
export class DeliveriesController {
  constructor(
    private readonly reports: ReportRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly resender: DeliveryResender,
  ) {}

  @ApiDoc({ summary: 'List deliveries to traffic sources', query: listFilterSchema })
  @Get()
  @ClientVisible()
  async listDeliveries(@Query() query: unknown, @Access() scope: AccessScope) {
    const filter = validate(listFilterSchema, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    if (none) return [];
    return (await this.deliveries.list({ ...filter, campaignIds })).map(deliveryView);
  }

  @ApiDoc({ summary: 'One delivery with every attempt' })
  @Get(':id')
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
  @Post('replay')
  @HttpCode(200)
  async replayDeliveries(@Body() body: unknown) {
    const filter = validate(replayDeliveriesSchema, body);
    return { ...filter, status: filter.status ?? null, ...(await this.resender.replay(filter)) };
  }

  /** Sends a delivery again now, whatever its state, rendered with the source's current settings (e.g. after fixing its URL). */
  @ApiDoc({ summary: 'Send one delivery again now' })
  @Post(':id/retry')
  @HttpCode(200)
  async retryDelivery(@Param('id') id: string) {
    const result = await this.resender.retry(id);
    if (!result) throw ApiError.notFound('delivery');
    return result;
  }
}

/** A delivery as the admin API shows it: credentials in its URL and headers masked. */
function deliveryView(delivery: Delivery) {
  return { ...delivery, url: maskUrl(delivery.url), headers: maskHeaders(delivery.headers) };
}
