import { Body, Controller, Get, Inject, Param, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { checkConfig, type ConfigSchema } from '@postwire/plugin-sdk';
import { CatalogRepository, type Network } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { PluginRegistry } from '../plugins/plugin-registry';
import { createCampaignSchema, createNetworkSchema, createOfferSchema, createTrafficSourceSchema, slugify } from './admin-schemas';

/** The setup side of the admin API: networks, offers, traffic sources, campaigns. */
@Controller('api')
@UseGuards(AdminAuthGuard)
export class CatalogController {
  constructor(
    private readonly catalog: CatalogRepository,
    private readonly registry: PluginRegistry,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  @Post('networks')
  async createNetwork(@Body() body: unknown) {
    const input = validate(createNetworkSchema, body);
    const adapter = this.registry.adapter(input.adapter);
    if (!adapter) {
      const known = this.registry.listAdapters().map((a) => a.adapter.id);
      throw ApiError.badParameter('adapter', `unknown adapter "${input.adapter}"; installed: ${known.join(', ')}`);
    }
    const checked = checkConfig(adapter.configSchema, input.adapterConfig);
    if (!checked.ok) throw ApiError.badParameter('adapterConfig', checked.errors.join('; '));
    const slug = input.slug ?? (await this.freeSlug(slugify(input.name)));
    if (input.slug && (await this.catalog.slugExists(slug))) throw new ApiError(409, 'slug_taken', `slug: "${slug}" is already used by another network`);
    const network = await this.catalog.createNetwork({ ...input, slug, adapterConfig: checked.value });
    return this.networkView(network);
  }

  @Get('networks')
  async listNetworks() {
    return (await this.catalog.listNetworks()).map((n) => this.networkView(n));
  }

  @Get('networks/:id')
  async getNetwork(@Param('id') id: string) {
    const network = await this.catalog.getNetwork(id);
    if (!network) throw ApiError.notFound('network');
    return this.networkView(network);
  }

  /** The URL to paste into the network's postback settings, with that network's own macros. */
  @Get('networks/:id/postback-url')
  async postbackUrl(@Param('id') id: string) {
    const network = await this.catalog.getNetwork(id);
    if (!network) throw ApiError.notFound('network');
    const adapter = this.registry.adapter(network.adapter);
    if (!adapter) throw new ApiError(503, 'adapter_not_installed', `The network adapter "${network.adapter}" is not installed.`);
    return { networkId: network.id, adapter: adapter.id, url: adapter.postbackUrlTemplate(this.config.publicUrl, { id: network.id, slug: network.slug }) };
  }

  @Post('offers')
  async createOffer(@Body() body: unknown) {
    const input = validate(createOfferSchema, body);
    if (!(await this.catalog.getNetwork(input.networkId))) throw ApiError.badParameter('networkId', 'no network with this id');
    return this.catalog.createOffer(input);
  }

  @Get('offers')
  listOffers() {
    return this.catalog.listOffers();
  }

  @Get('offers/:id')
  async getOffer(@Param('id') id: string) {
    return (await this.catalog.getOffer(id)) ?? notFound('offer');
  }

  @Post('traffic-sources')
  async createTrafficSource(@Body() body: unknown) {
    return this.catalog.createTrafficSource(validate(createTrafficSourceSchema, body));
  }

  @Get('traffic-sources')
  listTrafficSources() {
    return this.catalog.listTrafficSources();
  }

  @Get('traffic-sources/:id')
  async getTrafficSource(@Param('id') id: string) {
    return (await this.catalog.getTrafficSource(id)) ?? notFound('traffic source');
  }

  @Post('campaigns')
  async createCampaign(@Body() body: unknown) {
    const input = validate(createCampaignSchema, body);
    if (!(await this.catalog.getTrafficSource(input.trafficSourceId))) throw ApiError.badParameter('trafficSourceId', 'no traffic source with this id');
    if (!(await this.catalog.getOffer(input.offerId))) throw ApiError.badParameter('offerId', 'no offer with this id');
    return this.campaignView(await this.catalog.createCampaign(input));
  }

  @Get('campaigns')
  async listCampaigns() {
    return (await this.catalog.listCampaigns()).map((c) => this.campaignView(c));
  }

  @Get('campaigns/:id')
  async getCampaign(@Param('id') id: string) {
    const campaign = await this.catalog.getCampaign(id);
    if (!campaign) throw ApiError.notFound('campaign');
    return this.campaignView(campaign);
  }

  private campaignView<C extends { id: string; externalIdParam: string }>(campaign: C) {
    return { ...campaign, clickUrl: `${this.config.publicUrl}/c/${campaign.id}?${campaign.externalIdParam}={your_click_id_macro}` };
  }

  /** Secret settings are never given back after creation. */
  private networkView(network: Network) {
    const schema: ConfigSchema = this.registry.adapter(network.adapter)?.configSchema ?? {};
    const adapterConfig: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(network.adapterConfig)) adapterConfig[key] = schema[key]?.secret ? '********' : value;
    return { ...network, defaultCurrency: network.defaultCurrency.trim(), adapterConfig };
  }

  private async freeSlug(base: string): Promise<string> {
    for (let i = 1; ; i++) {
      const slug = i === 1 ? base : `${base}-${i}`;
      if (!(await this.catalog.slugExists(slug))) return slug;
    }
  }
}

function notFound(what: string): never {
  throw ApiError.notFound(what);
}
