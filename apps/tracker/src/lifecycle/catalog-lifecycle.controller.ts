import { Controller, Delete, Get, HttpCode, Inject, Post, UseGuards, type Type } from '@nestjs/common';
import { AuditLogRepository, CATALOG_TABLES, type CatalogKind } from '@postwire/persistence';
import { z } from 'zod';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { idParams, noContent } from '../schemas/views';
import { CatalogLifecycle, KIND_NAMES } from './catalog-lifecycle';
import { bulkSchema, entityAuditQuerySchema } from './lifecycle-schemas';
import { auditPageView, bulkResultView, lifecycleStateView } from './lifecycle-views';

/** Which catalog items a controller made by {@link catalogLifecycleController} serves, and under which path. */
export interface CatalogLifecycleSpec {
  kind: CatalogKind;
  /** `api/campaigns` */
  path: string;
  /** The OpenAPI tag of the item's own routes. */
  tag: string;
}

/**
 * The lifecycle routes of one kind of catalog item, the same for every kind (docs/lifecycle.md):
 * `POST :id/pause|resume` (networks, offers, traffic sources, campaigns), `POST :id/archive|restore`, `DELETE :id`
 * (409 `in_use` while referred to), `POST :id/clone` (offers and campaigns), `POST bulk` and `GET :id/audit-log`.
 * Each kind's module lists the controller this makes next to its own.
 */
export function catalogLifecycleController(spec: CatalogLifecycleSpec): Type<unknown> {
  const { kind, path, tag } = spec;
  const noun = KIND_NAMES[kind];
  const { cloneable } = CATALOG_TABLES[kind];

  @Controller(path)
  @UseGuards(AdminAuthGuard)
  class CatalogLifecycleController {
    constructor(
      @Inject(CatalogLifecycle) readonly lifecycle: CatalogLifecycle,
      @Inject(AuditLogRepository) readonly audit: AuditLogRepository,
    ) {}

    @ApiRoute({
      summary: `Pause, resume, archive, restore, tag or untag many ${noun}s at once (all or nothing)`,
      tag,
      body: bulkSchema,
      response: bulkResultView,
    })
    @Post('bulk')
    @HttpCode(200)
    async bulk(@Valid('body') input: z.output<typeof bulkSchema>, @Access() scope: AccessScope) {
      const items = await this.lifecycle.act(scope, kind, input.ids, input.action, input.tags);
      return { action: input.action, count: items.length, items };
    }

    @ApiRoute({ summary: `Archive a ${noun}: out of lists and pickers, its data and reports stay`, tag, params: idParams, response: lifecycleStateView })
    @Post(':id/archive')
    @HttpCode(200)
    async archive(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
      return (await this.lifecycle.act(scope, kind, [id], 'archive'))[0];
    }

    @ApiRoute({ summary: `Restore an archived ${noun}`, tag, params: idParams, response: lifecycleStateView })
    @Post(':id/restore')
    @HttpCode(200)
    async restore(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
      return (await this.lifecycle.act(scope, kind, [id], 'restore'))[0];
    }

    @ApiRoute({ summary: `Delete a ${noun} nothing refers to (409 in_use names what does)`, tag, params: idParams, response: noContent })
    @Delete(':id')
    @HttpCode(204)
    async remove(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope): Promise<void> {
      await this.lifecycle.delete(scope, kind, id);
    }

    @ApiRoute({ summary: `The audit trail of a ${noun}, newest first`, tag, params: idParams, query: entityAuditQuerySchema, response: auditPageView })
    @Get(':id/audit-log')
    async auditLog(@Valid('params') { id }: z.output<typeof idParams>, @Valid('query') query: z.output<typeof entityAuditQuerySchema>) {
      const page = await this.audit.list({ ...query, entityType: kind, entityId: id });
      return { ...page, limit: query.limit, offset: query.offset };
    }

    @ApiRoute({ summary: `Pause a ${noun}`, tag, params: idParams, response: lifecycleStateView })
    @Post(':id/pause')
    @HttpCode(200)
    async pause(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
      return (await this.lifecycle.act(scope, kind, [id], 'pause'))[0];
    }

    @ApiRoute({ summary: `Resume a paused ${noun}`, tag, params: idParams, response: lifecycleStateView })
    @Post(':id/resume')
    @HttpCode(200)
    async resume(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
      return (await this.lifecycle.act(scope, kind, [id], 'resume'))[0];
    }

    @ApiRoute({ summary: `Clone a ${noun}: a new id, the name "… (copy)", the same settings`, tag, params: idParams, response: lifecycleStateView })
    @Post(':id/clone')
    async clone(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
      return this.lifecycle.clone(scope, kind, id);
    }
  }

  // Routes a kind does not have are taken off the class: Nest and the OpenAPI document only see what is left.
  const routes = CatalogLifecycleController.prototype as unknown as Record<string, unknown>;
  if (!cloneable) delete routes.clone;

  // One name per kind in the OpenAPI document (operation ids) and in Nest's logs.
  Object.defineProperty(CatalogLifecycleController, 'name', { value: `${kind[0].toUpperCase()}${kind.slice(1)}LifecycleController` });
  return CatalogLifecycleController;
}
