import { Controller, Get, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { lifecycleStatus, matchesLifecycleFilter } from '@postwire/core';
import {
  CampaignRepository,
  OfferRepository,
  TrafficSourceRepository,
  type Campaign,
  type SqlClient,
  type SqlExecutor,
  type TrafficSource,
} from '@postwire/persistence';
import { POSTWIRE_CONFIG, SQL_CLIENT } from '@postwire/runtime';
import { Access, canSeeCampaign, requireCampaign, type AccessScope } from '../access/access-scope';
import { ClientVisible } from '../access/client-visible';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { PluginRegistry } from '../plugins/plugin-registry';
import { CampaignRoutes } from '../clicks';
import { CatalogLifecycle, lifecycleListQuery } from '../lifecycle';
import { costSettingsProblem, createCampaignSchema, updateCampaignSchema } from './campaign-schemas';
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
    private readonly lifecycle: CatalogLifecycle,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
  ) {}

  /** The offer and the traffic source must exist and not be archived (restore them first). */
  @ApiRoute({ summary: 'Create a campaign', body: createCampaignSchema, response: campaignView })
  @Post()
  async create(@Valid('body') input: z.output<typeof createCampaignSchema>, @Access() scope: AccessScope) {
    await this.checkSource(input.trafficSourceId);
    await this.checkOffer(input.offerId);
    const problem = costSettingsProblem(input.costModel ?? 'none', input.costValue);
    if (problem) throw ApiError.badParameter('costValue', problem);
    const campaign = await this.campaigns.create(input);
    const shown = this.view(campaign, await this.sources.get(campaign.trafficSourceId));
    await this.lifecycle.created(scope, 'campaign', campaign.id, shown);
    return shown;
  }

  /** For a client: only its granted campaigns. Archived campaigns only with `archived=true` (or `all`). */
  @ApiRoute({ summary: 'List campaigns with their click URL', query: lifecycleListQuery, response: z.array(campaignView) })
  @Get()
  @ClientVisible()
  async list(@Valid('query') filter: z.output<typeof lifecycleListQuery>, @Access() scope: AccessScope) {
    const sources = new Map((await this.sources.list()).map((s) => [s.id, s]));
    return (await this.campaigns.list())
      .filter((c) => canSeeCampaign(scope, c.id) && matchesLifecycleFilter(c, filter))
      .map((c) => this.view(c, sources.get(c.trafficSourceId)));
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

  /**
   * Changes any field: name, offer, traffic source, cost model, fallback URL, tags. Clicks and costs already
   * counted keep their price, and each click the offer it was sent to; reports still read offer and source
   * through the campaign as it is now. A stale `version` is a 409 (docs/lifecycle.md).
   */
  @ApiRoute({ summary: 'Change a campaign (name, offer, source, cost model, fallback URL, tags)', body: updateCampaignSchema, response: campaignView })
  @Patch(':id')
  async update(@Param('id') id: string, @Valid('body') { version, ...input }: z.output<typeof updateCampaignSchema>, @Access() scope: AccessScope) {
    const current = await this.campaigns.get(id);
    if (!current) throw ApiError.notFound('campaign');
    if (input.trafficSourceId !== undefined && input.trafficSourceId !== current.trafficSourceId) await this.checkSource(input.trafficSourceId);
    if (input.offerId !== undefined && input.offerId !== current.offerId) await this.checkOffer(input.offerId);
    const problem = costSettingsProblem(input.costModel ?? current.costModel, input.costValue === undefined ? current.costValue : input.costValue);
    if (problem) throw ApiError.badParameter('costValue', problem);
    // Inside the edit, everything reads through its transaction: the embedded database has one connection.
    const show = async (db: SqlExecutor) => {
      const campaign = (await new CampaignRepository(db).get(id))!;
      return this.view(campaign, await new TrafficSourceRepository(db).get(campaign.trafficSourceId));
    };
    await this.lifecycle.edit(scope, 'campaign', id, version, {
      show,
      apply: (tx) => new CampaignRepository(tx).update(id, input),
    });
    this.routes.invalidate(id);
    return show(this.db);
  }

  private async checkSource(trafficSourceId: string): Promise<void> {
    const source = await this.sources.get(trafficSourceId);
    if (!source) throw ApiError.badParameter('trafficSourceId', 'no traffic source with this id');
    if (source.archivedAt) throw ApiError.badParameter('trafficSourceId', 'the traffic source is archived; restore it first');
  }

  private async checkOffer(offerId: string): Promise<void> {
    const offer = await this.offers.get(offerId);
    if (!offer) throw ApiError.badParameter('offerId', 'no offer with this id');
    if (offer.archivedAt) throw ApiError.badParameter('offerId', 'the offer is archived; restore it first');
  }

  /** The campaign with the link to give its traffic source, built from the source's tokens (campaign-link.ts). */
  private view(campaign: Campaign, source: TrafficSource | undefined) {
    return { ...campaign, status: lifecycleStatus(campaign), ...campaignLink(this.config.publicUrl, campaign, source, this.registry) };
  }
}
