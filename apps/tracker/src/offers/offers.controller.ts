import { Controller, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { NetworkRepository, OfferRepository } from '@postwire/persistence';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { createOfferSchema, offerGoalSchema } from '../schemas/admin-schemas';
import { offerGoalView, offerView } from './offer-views';
import { z } from 'zod';
import { idParam } from '../schemas/views';

/** `PUT /api/offers/:id/goals/:goal`: the goal comes from the path, whether it allows many conversions per click from the body. */
const offerGoalParams = z.object({ id: idParam, goal: offerGoalSchema.shape.goal });
const offerGoalBody = offerGoalSchema.omit({ goal: true }).strict();

@Controller('api/offers')
@UseGuards(AdminAuthGuard)
export class OffersController {
  constructor(
    private readonly offers: OfferRepository,
    private readonly networks: NetworkRepository,
  ) {}

  @ApiRoute({ summary: 'Create an offer', body: createOfferSchema, response: offerView })
  @Post()
  async create(@Valid('body') input: z.output<typeof createOfferSchema>) {
    if (!(await this.networks.get(input.networkId))) throw ApiError.badParameter('networkId', 'no network with this id');
    return this.offers.create(input);
  }

  @ApiRoute({ summary: 'List offers', response: z.array(offerView) })
  @Get()
  list() {
    return this.offers.list();
  }

  @ApiRoute({ summary: 'One offer', response: offerView })
  @Get(':id')
  async get(@Param('id') id: string) {
    const offer = await this.offers.get(id);
    if (!offer) throw ApiError.notFound('offer');
    return offer;
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
  async setGoal(@Valid('params') { id, goal }: z.output<typeof offerGoalParams>, @Valid('body') { manyPerClick }: z.output<typeof offerGoalBody>) {
    if (!(await this.offers.get(id))) throw ApiError.notFound('offer');
    return this.offers.setGoal(id, goal, manyPerClick);
  }
}
