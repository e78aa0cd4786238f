import { Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { formatDurations } from '@postwire/config';
import { CampaignForwardingRulesRepository, type CampaignForwardingRules } from '@postwire/persistence';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import type { z } from 'zod';
import { campaignForwardingRulesSchema } from './forwarding-rules-schemas';
import { campaignForwardingRulesView } from './traffic-source-views';

/**
 * A campaign's own forwarding rules (statuses, goals, payout share, retry schedule) over its traffic
 * source's. Here, beside the source's settings, because they are the same rules; applied when a
 * delivery is written (docs/forwarding.md).
 */
@Controller('api/campaigns')
@UseGuards(AdminAuthGuard)
export class CampaignForwardingRulesController {
  constructor(private readonly rules: CampaignForwardingRulesRepository) {}

  @ApiRoute({ summary: "A campaign's forwarding rules over its traffic source's", tag: 'campaigns', response: campaignForwardingRulesView })
  @Get(':id/forwarding-rules')
  async getRules(@Param('id') id: string) {
    const rules = await this.rules.get(id);
    if (!rules) throw ApiError.notFound('campaign');
    return rulesView(id, rules);
  }

  @ApiRoute({
    summary: "Replace a campaign's forwarding rules (null fields: the source's)",
    tag: 'campaigns',
    body: campaignForwardingRulesSchema,
    response: campaignForwardingRulesView,
  })
  @Put(':id/forwarding-rules')
  async putRules(@Param('id') id: string, @Valid('body') input: z.output<typeof campaignForwardingRulesSchema>) {
    const saved = await this.rules.put(id, {
      goals: input.goals,
      statuses: input.statuses,
      payoutShare: input.payoutShare,
      retryScheduleMs: input.retrySchedule,
    });
    if (!saved) throw ApiError.notFound('campaign');
    return rulesView(id, saved);
  }
}

export function rulesView(campaignId: string, rules: CampaignForwardingRules) {
  const { retryScheduleMs, ...rest } = rules;
  return { campaignId, ...rest, retrySchedule: retryScheduleMs ? formatDurations(retryScheduleMs) : null };
}
