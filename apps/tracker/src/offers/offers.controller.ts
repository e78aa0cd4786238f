import { Body, Controller, Get, Param, Post, Put, UseGuards } from '@nestjs/common';
import { NetworkRepository, OfferRepository } from '@postwire/persistence';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { createOfferSchema, offerGoalSchema } from '../schemas/admin-schemas';

@Controller('api/offers')
@UseGuards(AdminAuthGuard)
export class OffersController {
  constructor(
    private readonly offers: OfferRepository,
    private readonly networks: NetworkRepository,
  ) {}

  @ApiDoc({ summary: 'Create an offer', body: createOfferSchema })
  @Post()
  async create(@Body() body: unknown) {
    const input = validate(createOfferSchema, body);
    if (!(await this.networks.get(input.networkId))) throw ApiError.badParameter('networkId', 'no network with this id');
    return this.offers.create(input);
  }

  @ApiDoc({ summary: 'List offers' })
  @Get()
  list() {
    return this.offers.list();
  }

  @ApiDoc({ summary: 'One offer' })
  @Get(':id')
  async get(@Param('id') id: string) {
    const offer = await this.offers.get(id);
    if (!offer) throw ApiError.notFound('offer');
    return offer;
  }

  @ApiDoc({ summary: 'The goals of an offer' })
  @Get(':id/goals')
  async goals(@Param('id') id: string) {
    if (!(await this.offers.get(id))) throw ApiError.notFound('offer');
    return this.offers.listGoals(id);
  }

  /**
   * One conversion per click for a goal (the default), or many told apart by txid (rebills,
   * subscriptions, upsells). `''` is the default goal.
   */
  @ApiDoc({ summary: 'Set whether a goal allows many conversions per click', body: offerGoalSchema.omit({ goal: true }) })
  @Put(':id/goals/:goal')
  async setGoal(@Param('id') id: string, @Param('goal') goal: string, @Body() body: unknown) {
    if (!(await this.offers.get(id))) throw ApiError.notFound('offer');
    const input = validate(offerGoalSchema, { ...(body as object), goal });
    return this.offers.setGoal(id, input.goal, input.manyPerClick);
  }
}
