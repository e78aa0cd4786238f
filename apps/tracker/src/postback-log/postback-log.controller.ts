import { Controller, Get, Query, UseGuards } from '@nestjs/common';
import { ReportRepository } from '@postwire/persistence';
import { Access, campaignFilter, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { validate } from '../http/validate';
import { ApiDoc } from '../openapi/api-doc.decorator';
import { listFilterSchema } from '../schemas/admin-schemas';

/** Every postback and pixel hit received, with what became of it. */
@Controller('api/postbacks')
@UseGuards(AdminAuthGuard)
export class PostbackLogController {
  constructor(private readonly reports: ReportRepository) {}

  /** For a client: only postbacks for clicks of its campaigns. */
  @ApiDoc({ summary: 'List received postbacks with their outcome', query: listFilterSchema })
  @Get()
  @ClientVisible()
  async listPostbacks(@Query() query: unknown, @Access() scope: AccessScope) {
    const filter = validate(listFilterSchema, query);
    const { campaignIds, none } = campaignFilter(scope, filter.campaignId);
    return none ? [] : this.reports.listPostbacks({ ...filter, campaignIds });
  }
}
