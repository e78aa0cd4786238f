import { Body, Controller, Get, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { CampaignRepository, OfferRepository, TrafficSourceRepository, type Campaign } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { createCampaignSchema } from './admin-schemas';

@Controller('api/campaigns')
@UseGuards(AdminAuthGuard)
export class CampaignsController {
  constructor(
    private readonly campaigns: CampaignRepository,
    private readonly offers: OfferRepository,
    private readonly sources: TrafficSourceRepository,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  @Post()
  async create(@Body() body: unknown) {
    const input = validate(createCampaignSchema, body);
    if (!(await this.sources.get(input.trafficSourceId))) throw ApiError.badParameter('trafficSourceId', 'no traffic source with this id');
    if (!(await this.offers.get(input.offerId))) throw ApiError.badParameter('offerId', 'no offer with this id');
    return this.view(await this.campaigns.create(input));
  }

  @Get()
  async list() {
    return (await this.campaigns.list()).map((c) => this.view(c));
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const campaign = await this.campaigns.get(id);
    if (!campaign) throw ApiError.notFound('campaign');
    return this.view(campaign);
  }

  /** The link to give the traffic source, with its own click-id macro still to fill in. */
  private view(campaign: Campaign) {
    return { ...campaign, clickUrl: `${this.config.publicUrl}/c/${campaign.id}?${campaign.externalIdParam}={your_click_id_macro}` };
  }
}
