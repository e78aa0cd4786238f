import { Controller, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { CostRepository } from '@postwire/persistence';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { CatalogLifecycle } from '../lifecycle';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { costCorrectionSchema } from './campaign-cost-schemas';
import { costCorrectionView } from './campaign-views';
import { z } from 'zod';

/** Manual cost corrections: what a campaign's traffic really cost, spread over its clicks. */
@Controller('api/campaigns')
@UseGuards(AdminAuthGuard)
export class CampaignCostsController {
  constructor(
    private readonly costs: CostRepository,
    private readonly lifecycle: CatalogLifecycle,
  ) {}

  /** Replaces the campaign's cost in `[from, to)` by `amount`, spread evenly over its clicks. */
  @ApiRoute({ summary: "Replace a campaign's cost in a time range", body: costCorrectionSchema, tag: 'campaigns', response: costCorrectionView })
  @Post(':id/costs')
  @HttpCode(200)
  async correctCost(@Param('id') id: string, @Valid('body') input: z.output<typeof costCorrectionSchema>, @Access() scope: AccessScope) {
    const result = await this.costs.correct(id, input.from, input.to, input.amount);
    if (result === undefined) throw ApiError.notFound('campaign');
    if (result === 'no_clicks') throw ApiError.badParameter('from', 'the campaign has no clicks in [from, to): there is nothing to spread the amount over');
    await this.lifecycle.record(scope.actor, [{ entityType: 'campaign', entityId: id.toLowerCase(), action: 'correct_cost', before: null, after: result }]);
    return { ...result, perClick: result.perClick, remainder: result.remainder };
  }

  @ApiRoute({ summary: 'List the cost corrections of a campaign', tag: 'campaigns', response: z.array(costCorrectionView) })
  @Get(':id/costs')
  listCostCorrections(@Param('id') id: string) {
    return this.costs.listCorrections(id);
  }
}
