import { Controller, Get, Param, UseGuards } from '@nestjs/common';
import { maskUrl } from '@postwire/forwarding';
import {
  CampaignRepository,
  ClickRepository,
  DeliveryRepository,
  FraudRepository,
  NetworkRepository,
  ReportRepository,
  TrafficSourceRepository,
} from '@postwire/persistence';
import { Access, requireCampaign, type AccessScope } from '../access/access-scope';
import { ClientVisible } from '../access/client-visible';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute } from '../openapi/api-route.decorator';
import { conversionTraceView, TRACE_LIST_LIMIT } from './conversion-views';

/** One moment of a conversion's life, in time order. */
interface TraceEvent {
  at: Date;
  kind: 'click' | 'postback' | 'status' | 'delivery_attempt';
  summary: string;
  /** Id of the postback, delivery or history row the event comes from (the click id for a click). */
  ref: string | number | null;
}

/**
 * Everything about one conversion on one timeline: the click, every postback received for that
 * click (raw parameters, adapter, outcome and reason), the status history, and every delivery with
 * each attempt. What someone debugging a missing postback needs, in one request.
 */
@Controller('api/conversions')
@UseGuards(AdminAuthGuard)
export class ConversionTraceController {
  constructor(
    private readonly reports: ReportRepository,
    private readonly clicks: ClickRepository,
    private readonly campaigns: CampaignRepository,
    private readonly networks: NetworkRepository,
    private readonly sources: TrafficSourceRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly fraud: FraudRepository,
  ) {}

  /** A client sees the trace of its own campaigns' conversions only (another one is a 404). */
  @Get(':id/trace')
  @ClientVisible()
  @ApiRoute({
    summary: "A conversion's trace: click, postbacks, status history and delivery attempts on one timeline",
    response: conversionTraceView,
  })
  async trace(@Param('id') id: string, @Access() scope: AccessScope) {
    const conversion = await this.reports.getConversion(id);
    if (!conversion) throw ApiError.notFound('conversion');
    requireCampaign(scope, conversion.campaignId, 'conversion');
    const [click, campaign, network, allPostbacks, allDeliveries] = await Promise.all([
      this.clicks.get(conversion.clickId),
      this.campaigns.get(conversion.campaignId),
      this.networks.get(conversion.networkId),
      // One more than shown: whether the list was cut is then known without a count.
      this.reports.listPostbacks({ clickId: conversion.clickId, limit: TRACE_LIST_LIMIT + 1 }),
      this.deliveries.list({ conversionId: conversion.id, limit: TRACE_LIST_LIMIT + 1 }),
    ]);
    const postbacksCut = allPostbacks.length > TRACE_LIST_LIMIT;
    const deliveriesCut = allDeliveries.length > TRACE_LIST_LIMIT;
    const postbacks = allPostbacks.slice(0, TRACE_LIST_LIMIT);
    const deliveries = allDeliveries.slice(0, TRACE_LIST_LIMIT);
    const sourceNames = new Map((await this.sources.list()).map((s) => [s.id, s.name]));
    const withAttempts = await Promise.all(
      deliveries.map(async (d) => ({
        id: d.id,
        trafficSourceId: d.trafficSourceId,
        trafficSourceName: sourceNames.get(d.trafficSourceId) ?? null,
        event: d.event,
        method: d.method,
        url: maskUrl(d.url),
        status: d.status,
        lastStatusCode: d.lastStatusCode,
        lastError: d.lastError,
        createdAt: d.createdAt,
        deliveredAt: d.deliveredAt,
        attempts: (await this.deliveries.attempts(d.id)).map((a) => ({ ...a, url: maskUrl(a.url) })),
      })),
    );
    // Refused requests are logged too (with the click id they named): those did not pass the guards.
    const postbackViews = postbacks
      .map((p) => ({
        ...p,
        adapter: p.networkId === network?.id ? network.adapter : p.networkId ? null : 'generic',
        guardVerdict: p.outcome === 'refused' ? ('refused' as const) : ('passed' as const),
      }))
      .reverse();
    const history = conversion.history;
    const timeline: TraceEvent[] = [
      ...(click ? [{ at: click.createdAt, kind: 'click' as const, summary: `Click on campaign ${campaign?.name ?? click.campaignId}`, ref: click.id }] : []),
      ...postbackViews.map((p) => ({
        at: p.receivedAt,
        kind: 'postback' as const,
        summary: `${p.channel} postback: ${p.outcome}${p.reason ? ` (${p.reason})` : ''}`,
        ref: p.id,
      })),
      ...history.map((h, i) => ({ at: h.changedAt, kind: 'status' as const, summary: `${h.from ?? 'new'} → ${h.to} (${h.channel})`, ref: i })),
      ...withAttempts.flatMap((d) =>
        d.attempts.map((a) => ({
          at: a.attemptedAt,
          kind: 'delivery_attempt' as const,
          summary: `${(!scope.hiddenFields.has('trafficSourceName') && d.trafficSourceName) || 'traffic source'}: ${a.statusCode ?? 'no answer'} in ${a.latencyMs} ms${a.error ? ` (${a.error})` : ''}`,
          ref: d.id,
        })),
      ),
    ].sort((a, b) => new Date(a.at).getTime() - new Date(b.at).getTime());
    const { history: _history, ...conversionView } = conversion;
    return {
      conversion: conversionView,
      click: click ?? null,
      campaign: campaign ? { id: campaign.id, name: campaign.name } : null,
      network: network ? { id: network.id, name: network.name, adapter: network.adapter } : null,
      postbacks: postbackViews,
      history,
      deliveries: withAttempts,
      postbacksCut,
      deliveriesCut,
      timeline,
      fraud: (await this.fraud.forConversion(conversion.id)) ?? null,
    };
  }
}
