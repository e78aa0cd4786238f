import { Controller, Get, Param, Patch, Post, Put, UseGuards } from '@nestjs/common';
import { lifecycleStatus, matchesLifecycleFilter } from '@postwire/core';
import { NetworkRepository, OfferRepository, type Offer } from '@postwire/persistence';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { CampaignRoutes } from '../clicks';
import { CatalogLifecycle, lifecycleListQuery } from '../lifecycle';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { createOfferSchema, offerGoalSchema, updateOfferSchema } from './offer-schemas';
import { offerGoalView, offerView } from './offer-views';
import { z } from 'zod';
import { idParam } from '../schemas/views';

/** `PUT /api/offers/:id/goals/:goal`: the goal comes from the path, whether it allows many conversions per click from the body. */
const offerGoalParams = z.object({ id: idParam, goal: offerGoalSchema.shape.goal });
const offerGoalBody = offerGoalSchema.omit({ goal: true }).strict();

function view(offer: Offer) {
  return { ...offer, status: lifecycleStatus(offer) };
}

@Controller('api/offers')
@UseGuards(AdminAuthGuard)
export class OffersController {
  constructor(
    private readonly offers: OfferRepository,
    private readonly networks: NetworkRepository,
    private readonly lifecycle: CatalogLifecycle,
    private readonly routes: CampaignRoutes,
  ) {}

  /** An archived network takes no new offers (restore it first); its existing offers keep working. */
  @ApiRoute({ summary: 'Create an offer', body: createOfferSchema, response: offerView })
  @Post()
  async create(@Valid('body') input: z.output<typeof createOfferSchema>, @Access() scope: AccessScope) {
    await this.checkNetwork(input.networkId);
    const offer = view(await this.offers.create(input));
    await this.lifecycle.created(scope, 'offer', offer.id, offer);
    return offer;
  }

  /** Archived offers only with `archived=true` (or `all`); `tag` and `status` filter further. */
  @ApiRoute({ summary: 'List offers', query: lifecycleListQuery, response: z.array(offerView) })
  @Get()
  async list(@Valid('query') filter: z.output<typeof lifecycleListQuery>) {
    return (await this.offers.list()).filter((o) => matchesLifecycleFilter(o, filter)).map(view);
  }

  @ApiRoute({ summary: 'One offer', response: offerView })
  @Get(':id')
  async get(@Param('id') id: string) {
    const offer = await this.offers.get(id);
    if (!offer) throw ApiError.notFound('offer');
    return view(offer);
  }

  /** Changes any field; a stale `version` is a 409 (docs/lifecycle.md). Conversions already recorded keep their payout. */
  @ApiRoute({ summary: 'Change an offer (name, URL, payout, network, tags)', body: updateOfferSchema, response: offerView })
  @Patch(':id')
  async update(@Param('id') id: string, @Valid('body') { version, ...input }: z.output<typeof updateOfferSchema>, @Access() scope: AccessScope) {
    if (!(await this.offers.get(id))) throw ApiError.notFound('offer');
    if (input.networkId !== undefined) await this.checkNetwork(input.networkId);
    const offer = await this.lifecycle.edit(scope, 'offer', id, version, {
      show: async (tx) => view((await new OfferRepository(tx).get(id))!),
      apply: async (tx) => (await new OfferRepository(tx).update(id, input))!,
    });
    // Clicks in this process see a new URL at once; other trackers within the route cache's TTL.
    if (input.url !== undefined) this.routes.invalidate();
    return view((await this.offers.get(offer.id))!);
  }

  private async checkNetwork(networkId: string): Promise<void> {
    const network = await this.networks.get(networkId);
    if (!network) throw ApiError.badParameter('networkId', 'no network with this id');
    if (network.archivedAt) throw ApiError.badParameter('networkId', 'the network is archived; restore it first');
  }

  @ApiRoute({ summary: 'The goals of an offer', response: z.array(offerGoalView) })
  @Get(':id/goals')
  async goals(@Param('id') id: string) {
    if (!(await this.offers.get(id))) throw ApiError.notFound('offer');
    return this.offers.listGoals(id);
  }

  /**
   * One conversion per click for a goal (the default), or many told apart by txid (rebills,
   * subscriptions, upsells). `''` is the default goal.
   */
  @ApiRoute({ summary: 'Set whether a goal allows many conversions per click', params: offerGoalParams, body: offerGoalBody, response: offerGoalView })
  @Put(':id/goals/:goal')
  async setGoal(
    @Valid('params') { id, goal }: z.output<typeof offerGoalParams>,
    @Valid('body') { manyPerClick }: z.output<typeof offerGoalBody>,
    @Access() scope: AccessScope,
  ) {
    if (!(await this.offers.get(id))) throw ApiError.notFound('offer');
    const before = (await this.offers.listGoals(id)).find((g) => g.goal === goal) ?? null;
    const after = await this.offers.setGoal(id, goal, manyPerClick);
    await this.lifecycle.record(scope.actor, [{ entityType: 'offer', entityId: id.toLowerCase(), action: 'set_goal', before, after }]);
    return after;
  }
}
