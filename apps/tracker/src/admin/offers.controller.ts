import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { NetworkRepository, OfferRepository } from '@postwire/persistence';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { createOfferSchema } from './admin-schemas';

@Controller('api/offers')
@UseGuards(AdminAuthGuard)
export class OffersController {
  constructor(
    private readonly offers: OfferRepository,
    private readonly networks: NetworkRepository,
  ) {}

  @Post()
  async create(@Body() body: unknown) {
    const input = validate(createOfferSchema, body);
    if (!(await this.networks.get(input.networkId))) throw ApiError.badParameter('networkId', 'no network with this id');
    return this.offers.create(input);
  }

  @Get()
  list() {
    return this.offers.list();
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const offer = await this.offers.get(id);
    if (!offer) throw ApiError.notFound('offer');
    return offer;
  }
}
