import { Controller, Get, UseGuards } from '@nestjs/common';
import { ReportRepository } from '@postwire/persistence';
import { Access, campaignFilter, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { listFilterSchema } from '../schemas/admin-schemas';
import { postbackLogView } from './postback-log-views';
import { z } from 'zod';

/** Every postback and pixel hit received, with what became of it. */
@Controller('api/postbacks')
@UseGuards(AdminAuthGuard)
export class PostbackLogController {
  constructor(private readonly reports: ReportRepository) {}

  /** For a client: only postbacks for clicks of its campaigns. */
  @ApiRoute({ summary: 'List received postbacks with their outcome', query: listFilterSchema, response: z.array(postbackLogView) })
  @Get()
  @ClientVisible()
  async listPostbacks(@Valid('query') filter: z.output<typeof listFilterSchema>, @Access() scope: AccessScope) {
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    return none ? [] : this.reports.listPostbacks({ ...filter, campaignIds });
  }
}
