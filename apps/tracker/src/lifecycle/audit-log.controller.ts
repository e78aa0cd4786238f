import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { AuditLogRepository, type AuditRecord } from '@postwire/persistence';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { csvStream, fieldColumns, type CsvColumn } from '../http/csv-stream';
import { wantsCsv } from '../http/wants-csv';
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

  /** JSON: one page with the total. CSV (`format=csv` or Accept: text/csv): every filtered entry, newest first. */
  @ApiRoute({
    summary: 'The audit log: who changed what, when, before and after (CSV: every filtered entry)',
    tag: 'audit-log',
    query: auditQuerySchema,
    response: auditPageView,
  })
  @Get()
  async list(@Valid('query') query: z.output<typeof auditQuerySchema>, @Req() req: FastifyRequest) {
    const { format, limit, offset, ...filter } = query;
    if (wantsCsv(req, format)) {
      return csvStream<AuditRecord, string>({
        filename: 'audit-log.csv',
        columns: AUDIT_CSV,
        fetchPage: (after, n) => this.audit.listAfter(filter, after, n),
        cursorOf: (r) => r.id,
      });
    }
    return this.audit.list({ ...filter, limit, offset });
  }
}

const json = (v: unknown) => (v === null || v === undefined ? null : JSON.stringify(v));

/** The audit log's CSV columns: before and after as JSON text. */
const AUDIT_CSV: readonly CsvColumn<AuditRecord>[] = [
  { name: 'id', cell: (r) => r.id },
  { name: 'at', cell: (r) => new Date(r.at).toISOString() },
  { name: 'actorType', cell: (r) => r.actor.type },
  { name: 'actorId', cell: (r) => r.actor.id },
  { name: 'actorLabel', cell: (r) => r.actor.label },
  ...fieldColumns<AuditRecord>(['entityType', 'entityId', 'action']),
  { name: 'before', cell: (r) => json(r.before) },
  { name: 'after', cell: (r) => json(r.after) },
];
