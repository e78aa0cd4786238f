import { Controller, Get, HttpCode, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { FastifyRequest } from 'fastify';
import { maskHeaders, maskUrl } from '@postwire/forwarding';
import { DeliveryRepository, ReportRepository, type Delivery } from '@postwire/persistence';
import { Access, campaignFilter, requireCampaign, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { csvStream, fieldColumns, type CsvColumn } from '../http/csv-stream';
import { wantsCsv } from '../http/wants-csv';
import { pagedView } from '../schemas/paging';
import { deliveryListQuery, replayDeliveriesSchema } from './delivery-schemas';
import { DeliveryResender } from './delivery-resender';
import { deliveryView, deliveryWithAttemptsView, replayView, retryView } from './delivery-views';
import { z } from 'zod';

/** What the tracker owes traffic sources: the deliveries, their attempts, and sending them again. */
@Controller('api/deliveries')
@UseGuards(AdminAuthGuard)
export class DeliveriesController {
  constructor(
    private readonly reports: ReportRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly resender: DeliveryResender,
  ) {}

  /** JSON: a page of the delivery log, newest first, with the total. CSV (`format=csv` or Accept: text/csv): every filtered row. */
  @ApiRoute({
    summary: 'List deliveries to traffic sources, newest first, paged with a total (CSV: every filtered row)',
    query: deliveryListQuery,
    response: pagedView(deliveryView),
  })
  @Get()
  @ClientVisible()
  async listDeliveries(@Valid('query') query: z.output<typeof deliveryListQuery>, @Req() req: FastifyRequest, @Access() scope: AccessScope) {
    const { limit, offset, format, ...filter } = query;
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    const scoped = { ...filter, campaignIds: none ? [] : campaignIds };
    if (wantsCsv(req, format)) {
      return csvStream<Delivery, { at: Date; id: string }>({
        filename: 'deliveries.csv',
        columns: DELIVERY_CSV,
        fetchPage: (after, n) => this.deliveries.listAfter(scoped, after, n),
        cursorOf: (d) => ({ at: d.createdAt, id: d.id }),
      });
    }
    const page = await this.deliveries.page(scoped, { limit, offset });
    return { ...page, items: page.items.map(masked) };
  }

  @ApiRoute({ summary: 'One delivery with every attempt', response: deliveryWithAttemptsView })
  @Get(':id')
  @ClientVisible()
  async getDelivery(@Param('id') id: string, @Access() scope: AccessScope) {
    const delivery = await this.deliveries.get(id);
    if (!delivery) throw ApiError.notFound('delivery');
    if (scope.allowedCampaignIds) {
      if (!delivery.conversionId) throw ApiError.notFound('delivery');
      const [conversion] = await this.reports.listConversions({ conversionId: delivery.conversionId, limit: 1 });
      if (!conversion) throw ApiError.notFound('delivery');
      requireCampaign(scope, conversion.campaignId, 'delivery');
    }
    const attempts = (await this.deliveries.attempts(id)).map((a) => ({ ...a, url: maskUrl(a.url) }));
    return { ...masked(delivery), attempts, attemptCount: delivery.attempts };
  }

  /** Re-sends the deliveries of one traffic source created in `[from, to)`, optionally only one status (e.g. `dead`). */
  @ApiRoute({ summary: 'Re-send the deliveries of a traffic source in a time range', body: replayDeliveriesSchema, response: replayView })
  @Post('replay')
  @HttpCode(200)
  async replayDeliveries(@Valid('body') filter: z.output<typeof replayDeliveriesSchema>) {
    return { ...filter, status: filter.status ?? null, ...(await this.resender.replay(filter)) };
  }

  /** Sends a delivery again now, whatever its state, rendered with the source's current settings (e.g. after fixing its URL). */
  @ApiRoute({ summary: 'Send one delivery again now', response: retryView })
  @Post(':id/retry')
  @HttpCode(200)
  async retryDelivery(@Param('id') id: string) {
    const result = await this.resender.retry(id);
    if (!result) throw ApiError.notFound('delivery');
    return result;
  }
}

const iso = (d: Date | null) => (d === null ? null : new Date(d).toISOString());

/** The delivery log's CSV columns (no body or headers: they may carry a source's credentials); the URL masked. */
const DELIVERY_CSV: readonly CsvColumn<Delivery>[] = [
  ...fieldColumns<Delivery>(['id', 'conversionId', 'trafficSourceId', 'revision', 'event', 'method']),
  { name: 'url', cell: (d) => maskUrl(d.url) },
  ...fieldColumns<Delivery>(['status', 'attempts', 'lastStatusCode', 'lastError']),
  { name: 'createdAt', cell: (d) => iso(d.createdAt) },
  { name: 'deliveredAt', cell: (d) => iso(d.deliveredAt) },
  { name: 'isTest', cell: (d) => String(d.isTest) },
];

/** A delivery as the admin API shows it: credentials in its URL and headers masked. */
function masked(delivery: Delivery) {
  return { ...delivery, url: maskUrl(delivery.url), headers: maskHeaders(delivery.headers) };
}
