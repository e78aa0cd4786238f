import { Controller, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { formatDurations, type PostwireConfig } from '@postwire/config';
import { deliveryValues, parseAmount, previewForwarding } from '@postwire/core';
import { maskHeaders, maskUrl } from '@postwire/forwarding';
import { CampaignForwardingRulesRepository, ClickContextLoader, ReportRepository, TrafficSourceRepository, withCampaignRules } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import type { z } from 'zod';
import { forwardingPreviewSchema } from './forwarding-rules-schemas';
import { forwardingPreviewView } from './traffic-source-views';

/**
 * The rules editor's live preview: the exact request a chosen stored conversion would produce under
 * the source's settings and the campaign's override, drafts of both laid over the saved ones. The
 * request is rendered by the same code as a real delivery (renderDelivery) from the same macro
 * values (the click's sub ids and external id, the conversion's status and amounts). Nothing is sent.
 */
@Controller('api/traffic-sources')
@UseGuards(AdminAuthGuard)
export class ForwardingPreviewController {
  constructor(
    private readonly sources: TrafficSourceRepository,
    private readonly campaignRules: CampaignForwardingRulesRepository,
    private readonly reports: ReportRepository,
    private readonly clicks: ClickContextLoader,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  @Post(':id/forwarding-preview')
  @HttpCode(200)
  @ApiRoute({
    summary: 'Preview the request a stored conversion would produce under (draft) forwarding rules',
    body: forwardingPreviewSchema,
    response: forwardingPreviewView,
  })
  async preview(@Param('id') id: string, @Valid('body') input: z.output<typeof forwardingPreviewSchema>) {
    const source = await this.sources.get(id);
    if (!source) throw ApiError.notFound('traffic source');
    const conversion = await this.reports.getConversion(input.conversionId);
    if (!conversion) throw ApiError.badParameter('conversionId', 'is not a stored conversion');
    const click = await this.clicks.load(conversion.clickId, conversion.goal);
    if (!click) throw ApiError.badParameter('conversionId', 'names a conversion whose click is no longer stored (retention): pick a more recent one');
    const { retrySchedule: draftSchedule, ...draft } = input.source ?? {};
    const drafted = input.campaignRules;
    const campaign =
      drafted === undefined
        ? await this.campaignRules.get(conversion.campaignId)
        : drafted && { goals: drafted.goals, statuses: drafted.statuses, payoutShare: drafted.payoutShare, retryScheduleMs: drafted.retrySchedule };
    const settings = { ...source, ...draft };
    const effective = campaign ? withCampaignRules(settings, campaign) : settings;
    const snapshot = {
      status: conversion.status,
      payout: normalised(conversion.payout),
      revenue: normalised(conversion.revenue),
      currency: conversion.currency,
      txid: conversion.txid,
      goal: conversion.goal,
      source: conversion.source,
      pixelSeen: conversion.pixelSeen,
    };
    const preview = previewForwarding(effective, snapshot, deliveryValues(click, conversion.id, snapshot));
    const schedule =
      campaign?.retryScheduleMs ?? (draftSchedule !== undefined ? draftSchedule : source.retryScheduleMs) ?? this.config.forwarding.retryScheduleMs;
    const signed = (await this.sources.activeSealedSecrets(source.id)).length > 0;
    return {
      conversionId: conversion.id,
      campaignId: conversion.campaignId,
      forwarded: preview.forwarded,
      reason: preview.reason,
      request: { ...preview.request, url: maskUrl(preview.request.url), headers: maskHeaders(preview.request.headers), signed },
      retrySchedule: formatDurations(schedule),
    };
  }
}

/** numeric(18,6) comes back as "5.000000"; a delivery's macros speak "5", as the recorder renders them. */
function normalised(amount: string | null): string | null {
  if (amount === null) return null;
  const parsed = parseAmount(amount);
  return parsed.ok ? parsed.value : amount;
}
