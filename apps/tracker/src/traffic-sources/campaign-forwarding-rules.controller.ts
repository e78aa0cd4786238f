import { Controller, Get, Param, Put, UseGuards } from '@nestjs/common';
import { formatDurations } from '@postwire/config';
import { CampaignForwardingRulesRepository, type CampaignForwardingRules } from '@postwire/persistence';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { CatalogLifecycle } from '../lifecycle';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import type { z } from 'zod';
import { putCampaignForwardingRulesSchema } from './forwarding-rules-schemas';
import { campaignForwardingRulesView } from './traffic-source-views';

/**
 * A campaign's own forwarding rules (statuses, goals, payout share, retry schedule) over its traffic
 * source's. Here, beside the source's settings, because they are the same rules; applied when a
 * delivery is written (docs/forwarding.md). A change of them is an edit of the campaign.
 */
@Controller('api/campaigns')
@UseGuards(AdminAuthGuard)
export class CampaignForwardingRulesController {
  constructor(
    private readonly rules: CampaignForwardingRulesRepository,
    private readonly lifecycle: CatalogLifecycle,
  ) {}

  @ApiRoute({ summary: "A campaign's forwarding rules over its traffic source's", tag: 'campaigns', response: campaignForwardingRulesView })
  @Get(':id/forwarding-rules')
  async getRules(@Param('id') id: string) {
    return this.versionedView(id);
  }

  /**
   * Replaces the rules. An edit of the campaign like any other: checked against the `version` it was read with
   * (409 version_conflict when stale), the version bumped and the change audited in one transaction.
   */
  @ApiRoute({
    summary: "Replace a campaign's forwarding rules (null fields: the source's)",
    tag: 'campaigns',
    body: putCampaignForwardingRulesSchema,
    response: campaignForwardingRulesView,
  })
  @Put(':id/forwarding-rules')
  async putRules(
    @Param('id') id: string,
    @Valid('body') { version, ...input }: z.output<typeof putCampaignForwardingRulesSchema>,
    @Access() scope: AccessScope,
  ) {
    const rules: CampaignForwardingRules = {
      goals: input.goals,
      statuses: input.statuses,
      payoutShare: input.payoutShare,
      retryScheduleMs: input.retrySchedule,
    };
    await this.lifecycle.edit(scope, 'campaign', id, version, {
      // In the campaign's audit log as the API shows the rules. Read in the transaction, after the campaign is locked.
      show: async (tx) => ({ forwardingRules: rulesView(id, (await new CampaignForwardingRulesRepository(tx).get(id))!) }),
      apply: (tx) => new CampaignForwardingRulesRepository(tx).put(id, rules),
    });
    return this.versionedView(id);
  }

  /** The rules with the campaign's version, read together so the version is the one these rules are at. */
  private async versionedView(id: string) {
    const read = await this.rules.getVersioned(id);
    if (!read) throw ApiError.notFound('campaign');
    return { ...rulesView(id, read.rules), version: read.version };
  }
}

export function rulesView(campaignId: string, rules: CampaignForwardingRules) {
  const { retryScheduleMs, ...rest } = rules;
  return { campaignId, ...rest, retrySchedule: retryScheduleMs ? formatDurations(retryScheduleMs) : null };
}
