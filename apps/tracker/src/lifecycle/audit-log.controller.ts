import { Controller, Get, UseGuards } from '@nestjs/common';
import { AuditLogRepository } from '@postwire/persistence';
import { z } from 'zod';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { auditQuerySchema } from './lifecycle-schemas';
import { auditPageView } from './lifecycle-views';

/**
 * The whole audit log, newest first, paged on the server with the total count. Admins only: it holds
 * changes to users and API keys too (each item's own trail is under `/api/<items>/:id/audit-log`).
 */
@Controller('api/audit-log')
@UseGuards(AdminAuthGuard)
@RequireAdminScope()
export class AuditLogController {
  constructor(private readonly audit: AuditLogRepository) {}

  @ApiRoute({ summary: 'The audit log: who changed what, when, before and after', tag: 'audit-log', query: auditQuerySchema, response: auditPageView })
  @Get()
  async list(@Valid('query') query: z.output<typeof auditQuerySchema>) {
    const page = await this.audit.list(query);
    return { ...page, limit: query.limit, offset: query.offset };
  }
}
