import { Controller, Delete, Get, HttpCode, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { MAX_SAVED_REPORTS_PER_USER, SavedReportRepository, type SavedReport, type SavedReportRefusal } from '@postwire/persistence';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { SessionGuard } from '../access/session.guard';
import type { SessionPrincipal } from '../access/sessions';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { idParams, noContent } from '../schemas/views';
import { createSavedReportSchema, savedReportView, updateSavedReportSchema } from './saved-report-schemas';

type SignedIn = FastifyRequest & { user: SessionPrincipal };

/**
 * Saved reports of the signed-in console user (docs/reports.md#saved-reports). Each belongs to one
 * user: another user's id is a 404, as if it did not exist. API keys have no user and no saved reports.
 */
@Controller('api/saved-reports')
@UseGuards(SessionGuard)
export class SavedReportsController {
  constructor(private readonly reports: SavedReportRepository) {}

  @ApiRoute({ summary: 'Your saved reports, by name', response: z.array(savedReportView) })
  @Get()
  list(@Req() req: SignedIn) {
    return this.reports.list(req.user.user.id);
  }

  @ApiRoute({ summary: 'One of your saved reports', params: idParams, response: savedReportView })
  @Get(':id')
  async get(@Req() req: SignedIn, @Param('id') id: string) {
    return found(await this.reports.get(req.user.user.id, id));
  }

  @ApiRoute({ summary: "Save a report: a name and the report's query string", body: createSavedReportSchema, response: savedReportView })
  @Post()
  async create(@Req() req: SignedIn, @Valid('body') input: z.output<typeof createSavedReportSchema>) {
    return stored(await this.reports.create(req.user.user.id, input));
  }

  @ApiRoute({ summary: 'Rename a saved report, or replace its query string', params: idParams, body: updateSavedReportSchema, response: savedReportView })
  @Patch(':id')
  async update(@Req() req: SignedIn, @Param('id') id: string, @Valid('body') input: z.output<typeof updateSavedReportSchema>) {
    return stored(found(await this.reports.update(req.user.user.id, id, input)));
  }

  @ApiRoute({ summary: 'Delete a saved report', params: idParams, response: noContent })
  @Delete(':id')
  @HttpCode(204)
  async delete(@Req() req: SignedIn, @Param('id') id: string): Promise<void> {
    if (!(await this.reports.delete(req.user.user.id, id))) throw ApiError.notFound('saved report');
  }
}

function found<T>(value: T | undefined): T {
  if (value === undefined) throw ApiError.notFound('saved report');
  return value;
}

function stored(result: SavedReport | SavedReportRefusal): SavedReport {
  if (result === 'name_taken') throw new ApiError('saved_report_name_taken', 'You have a saved report of this name already; choose another.', 'name');
  if (result === 'limit_reached')
    throw new ApiError('too_many_saved_reports', `You keep ${MAX_SAVED_REPORTS_PER_USER} saved reports, the most one user may; delete one first.`);
  return result;
}
