import { Controller, Get, Query, Req, UseGuards } from '@nestjs/common';
import { emptyPage } from '@postwire/core';
import { PostbackLogRepository, type ReceivedPostback, type ReceivedPostbackFilter } from '@postwire/persistence';
import type { FastifyRequest } from 'fastify';
import { Access, campaignFilter, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ClientVisible } from '../access/client-visible';
import { validate } from '../http/validate';
import { wantsCsv } from '../http/wants-csv';
import { ApiRoute } from '../openapi/api-route.decorator';
import { postbackLogCsv } from './postback-log-export';
import { postbackListQuery } from './postback-log-query';
import { postbackLogPage } from './postback-log-views';

/** Every postback and pixel request received, refused ones included, with what became of it. */
@Controller('api/postbacks')
@UseGuards(AdminAuthGuard)
export class PostbackLogController {
  constructor(private readonly log: PostbackLogRepository) {}

  /** For a client: only postbacks for clicks of its campaigns (so no refused request without a click). */
  @ApiRoute({
    summary: 'List received postbacks with their outcome and reason, paged (CSV: format=csv)',
    query: postbackListQuery,
    // Validated in the handler, after the CSV choice, with the same schema.
    queryCheckedByHandler: true,
    response: postbackLogPage,
  })
  @Get()
  @ClientVisible()
  async listPostbacks(@Query() query: Record<string, unknown>, @Req() req: FastifyRequest, @Access() scope: AccessScope) {
    const q = validate(postbackListQuery, query);
    const { campaignIds, none } = campaignFilter(scope, q.campaignId);
    const filter: ReceivedPostbackFilter = {
      from: q.from,
      to: q.to,
      networkId: q.networkId,
      outcome: q.outcome,
      reasonCode: q.reason,
      clickId: q.clickId,
      search: q.q,
      test: q.test,
      campaignIds: none ? [] : campaignIds,
    };
    if (wantsCsv(req, q.format)) return postbackLogCsv(this.log, filter);
    const page = { limit: q.limit, offset: q.offset };
    return none ? emptyPage<ReceivedPostback>(page) : this.log.page(filter, page);
  }
}
