import { Controller, Get, HttpCode, Inject, Param, Post, Req, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { CostRepository, type CorrectionInput, type CorrectionRefusal } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { CatalogLifecycle } from '../lifecycle';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { actorLabel } from './actor-label';
import { costCorrectionSchema } from './campaign-cost-schemas';
import { costCorrectionPreviewView, costCorrectionView } from './campaign-views';
import { z } from 'zod';

type CorrectionBody = z.output<typeof costCorrectionSchema>;

/** Manual cost corrections: what a campaign's traffic really cost, spread over its clicks; and the history of who set what. */
@Controller('api/campaigns')
@UseGuards(AdminAuthGuard)
export class CampaignCostsController {
  constructor(
    private readonly costs: CostRepository,
    private readonly lifecycle: CatalogLifecycle,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  /** What a correction would replace (the range's clicks, its cost now, the corrections governing it) and the amounts it would set; nothing is stored. */
  @ApiRoute({ summary: 'Preview a cost correction: what it would replace', body: costCorrectionSchema, tag: 'campaigns', response: costCorrectionPreviewView })
  @Post(':id/costs/preview')
  @HttpCode(200)
  async previewCost(@Param('id') id: string, @Valid('body') input: CorrectionBody) {
    const result = await this.costs.preview(id, this.correctionOf(input, null));
    if (result === undefined) throw ApiError.notFound('campaign');
    if (typeof result === 'string') throw this.refusal(result, input);
    return { ...result, currency: input.currency ?? this.config.reports.currency, reportCurrency: this.config.reports.currency };
  }

  /** Replaces the campaign's cost in `[from, to)` by the amount, spread evenly over its clicks. */
  @ApiRoute({ summary: "Replace a campaign's cost in a time range", body: costCorrectionSchema, tag: 'campaigns', response: costCorrectionView })
  @Post(':id/costs')
  @HttpCode(200)
  async correctCost(@Param('id') id: string, @Valid('body') input: CorrectionBody, @Req() request: { user?: unknown }, @Access() scope: AccessScope) {
    const result = await this.costs.correct(id, this.correctionOf(input, actorLabel(request)));
    if (result === undefined) throw ApiError.notFound('campaign');
    if (typeof result === 'string') throw this.refusal(result, input);
    await this.lifecycle.record(scope.actor, [{ entityType: 'campaign', entityId: id.toLowerCase(), action: 'correct_cost', before: null, after: result }]);
    return result;
  }

  /** The campaign's cost history: every correction, oldest first, with who set it, what was entered and what it replaced. */
  @ApiRoute({ summary: 'List the cost corrections of a campaign (its cost history)', tag: 'campaigns', response: z.array(costCorrectionView) })
  @Get(':id/costs')
  listCostCorrections(@Param('id') id: string) {
    return this.costs.listCorrections(id);
  }

  private correctionOf(input: CorrectionBody, setBy: string | null): CorrectionInput {
    // The report currency needs no rate: it is stored as "no currency given".
    const currency = input.currency && input.currency !== this.config.reports.currency ? input.currency : null;
    const amount = input.perClick !== undefined ? { perClick: input.perClick } : { total: input.amount! };
    return { from: input.from, to: input.to, amount, currency, setBy };
  }

  private refusal(reason: CorrectionRefusal, input: CorrectionBody): ApiError {
    if (reason === 'no_rate')
      return ApiError.badParameter(
        'currency',
        `has no rate on or before ${input.from.toISOString().slice(0, 10)}: set one under Currency rates, or enter the amount in ${this.config.reports.currency}`,
      );
    return ApiError.badParameter('from', 'the campaign has no clicks in [from, to): there is nothing to spread the amount over');
  }
}
