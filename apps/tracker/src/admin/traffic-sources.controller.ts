import { Body, Controller, Get, Param, Post, UseGuards } from '@nestjs/common';
import { TrafficSourceRepository } from '@postwire/persistence';
import { AdminAuthGuard } from '../auth/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { createTrafficSourceSchema } from './admin-schemas';

@Controller('api/traffic-sources')
@UseGuards(AdminAuthGuard)
export class TrafficSourcesController {
  constructor(private readonly sources: TrafficSourceRepository) {}

  @Post()
  create(@Body() body: unknown) {
    return this.sources.create(validate(createTrafficSourceSchema, body));
  }

  @Get()
  list() {
    return this.sources.list();
  }

  @Get(':id')
  async get(@Param('id') id: string) {
    const source = await this.sources.get(id);
    if (!source) throw ApiError.notFound('traffic source');
    return source;
  }
}
