import { Controller, Get, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { CampaignRepository, OfferRepository, TrafficSourceRepository, type Campaign, type TrafficSource } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { Access, canSeeCampaign, requireCampaign, type AccessScope } from '../access/access-scope';
import { ClientVisible } from '../access/client-visible';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { PluginRegistry } from '../plugins/plugin-registry';
import { CampaignRoutes } from '../clicks';
import { costSettingsProblem, createCampaignSchema, updateCampaignCostSchema } from './campaign-schemas';
import { campaignView } from './campaign-views';
import { campaignLink } from './campaign-link';
import { z } from 'zod';

@Controller('api/campaigns')
@UseGuards(AdminAuthGuard)
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly offers: OfferRepository,
    private readonly sources: TrafficSourceRepository,
    private readonly registry: PluginRegistry,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
    private readonly routes: CampaignRoutes,
  ) {}

  @ApiRoute({ summary: 'Create a campaign', body: createCampaignSchema, response: campaignView })
  @Post()
  async create(@Valid('body') input: z.output<typeof createCampaignSchema>) {
    if (!(await this.sources.get(input.trafficSourceId))) throw ApiError.badParameter('trafficSourceId', 'no traffic source with this id');
    if (!(await this.offers.get(input.offerId))) throw ApiError.badParameter('offerId', 'no offer with this id');
    const problem = costSettingsProblem(input.costModel ?? 'none', input.costValue);
    if (problem) throw ApiError.badParameter('costValue', problem);
    const campaign = await this.campaigns.create(input);
    return this.view(campaign, await this.sources.get(campaign.trafficSourceId));
  }

  /** For a client: only its granted campaigns. */
  @ApiRoute({ summary: 'List campaigns with their click URL', response: z.array(campaignView) })
  @Get()
  @ClientVisible()
  async list(@Access() scope: AccessScope) {
    const sources = new Map((await this.sources.list()).map((s) => [s.id, s]));
    return (await this.campaigns.list()).filter((c) => canSeeCampaign(scope, c.id)).map((c) => this.view(c, sources.get(c.trafficSourceId)));
  }

  /** Another campaign than a client's own is a 404 to that client, as if it did not exist. */
  @ApiRoute({ summary: 'One campaign with its click URL', response: campaignView })
  @Get(':id')
  @ClientVisible()
  async get(@Param('id') id: string, @Access() scope: AccessScope) {
    const campaign = await this.campaigns.get(id);
    if (!campaign) throw ApiError.notFound('campaign');
    requireCampaign(scope, campaign.id);
    return this.view(campaign, await this.sources.get(campaign.trafficSourceId));
  }

  /** Changes how the campaign's traffic is priced; costs already counted keep their price. */
  @ApiRoute({ summary: "Change a campaign's cost model", body: updateCampaignCostSchema, response: campaignView })
  @Patch(':id')
  async update(@Param('id') id: string, @Valid('body') input: z.output<typeof updateCampaignCostSchema>) {
    const current = await this.campaigns.get(id);
    if (!current) throw ApiError.notFound('campaign');
    const problem = costSettingsProblem(input.costModel ?? current.costModel, input.costValue === undefined ? current.costValue : input.costValue);
    if (problem) throw ApiError.badParameter('costValue', problem);
    const campaign = (await this.campaigns.updateCost(id, input))!;
    this.routes.invalidate(id);
    return this.view(campaign, await this.sources.get(campaign.trafficSourceId));
  }

  /** The campaign with the link to give its traffic source, built from the source's tokens (campaign-link.ts). */
  private view(campaign: Campaign, source: TrafficSource | undefined) {
    return { ...campaign, ...campaignLink(this.config.publicUrl, campaign, source, this.registry) };
  }
}
