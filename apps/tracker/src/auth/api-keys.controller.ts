import { Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, Req, UseGuards } from '@nestjs/common';
import { ApiKeyRepository, AuditLogRepository, type ApiKeyRecord, type ApiKeyView, type SqlClient } from '@postwire/persistence';
import { SQL_CLIENT } from '@postwire/runtime';
import { hashApiKey, newApiKey } from '@postwire/security';
import { z } from 'zod';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { auditPageView, CatalogLifecycle, entityAuditQuerySchema, staleVersion } from '../lifecycle';
import type { SessionPrincipal } from '../access/sessions';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { apiKeyView, newApiKeyView } from '../schemas/credential-views';
import { idParams, noContent } from '../schemas/views';

export const createApiKeySchema = z
  .object({
    scope: z.enum(['admin', 'read']),
    label: z.string().trim().max(200).optional(),
  })
  .strict();

/** `PATCH /api/api-keys/:id`: a new label; `version` is the one the key was read with (docs/lifecycle.md). */
export const updateApiKeySchema = z
  .object({
    label: z.string().trim().max(200).nullable().optional(),
    version: z.number({ invalid_type_error: 'must be the version number the key was read with' }).int().min(1).optional(),
  })
  .strict();

const ADMIN_SCOPES: Array<'admin' | 'read'> = ['admin', 'read'];

/**
 * Admin API keys. A key is shown once, in the answer that creates it; only its sha256 is stored.
 * Network keys (for postbacks) are managed under `/api/networks/:id/api-keys`.
 *
 * Each key records the user who made it (a key made with another key inherits that key's maker), so
 * it ends when that user is deleted or loses the rights it needs (API_KEYS_OF_LOST_ADMINS).
 */
@Controller('api/api-keys')
@UseGuards(AdminAuthGuard)
@RequireAdminScope()
export class ApiKeysController {
  constructor(
    private readonly keys: ApiKeyRepository,
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly lifecycle: CatalogLifecycle,
    private readonly audit: AuditLogRepository,
  ) {}

  @ApiRoute({ summary: 'Create an admin or read API key (shown once)', body: createApiKeySchema, response: newApiKeyView })
  @Post()
  async create(@Valid('body') input: z.output<typeof createApiKeySchema>, @Req() req: { user: ApiKeyRecord | SessionPrincipal }, @Access() scope: AccessScope) {
    const key = newApiKey(input.scope === 'admin' ? 'pw_admin' : 'pw_read');
    const record = await this.keys.insert({ hash: hashApiKey(key), scope: input.scope, label: input.label ?? null, createdBy: await this.makerOf(req.user) });
    const stored = (await this.keys.get(record.id))!;
    await this.lifecycle.created(scope, 'apiKey', stored.id, stored);
    return { ...stored, key };
  }

  private async makerOf(principal: ApiKeyRecord | SessionPrincipal): Promise<{ id: string; email: string } | null> {
    if ('kind' in principal) return { id: principal.user.id, email: principal.user.email };
    const parent = (await this.keys.get(principal.id))?.createdBy;
    return parent?.id ? { id: parent.id, email: parent.email } : null;
  }

  @ApiRoute({ summary: 'List admin and read API keys (never the keys) and who made each', response: z.array(apiKeyView) })
  @Get()
  list() {
    return this.keys.list({ scopes: ADMIN_SCOPES });
  }

  /** A stale `version` is a 409; a console session must send one (docs/lifecycle.md). */
  @ApiRoute({ summary: 'Rename an API key', params: idParams, body: updateApiKeySchema, response: apiKeyView })
  @Patch(':id')
  async update(
    @Valid('params') { id }: z.output<typeof idParams>,
    @Valid('body') { version, label }: z.output<typeof updateApiKeySchema>,
    @Access() scope: AccessScope,
  ) {
    if (version === undefined && scope.via === 'session') throw ApiError.badParameter('version', 'is required: send the version the key was read with');
    return this.change(scope, id, 'edit', { label }, version);
  }

  /** A disabled key is refused like a revoked one until it is enabled again. The last active admin key cannot be disabled. */
  @ApiRoute({ summary: 'Disable an API key (reversible, unlike a revocation)', params: idParams, response: apiKeyView })
  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
    return this.change(scope, id, 'disable', { disabled: true });
  }

  @ApiRoute({ summary: 'Enable a disabled API key again', params: idParams, response: apiKeyView })
  @Post(':id/enable')
  @HttpCode(200)
  async enable(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
    return this.change(scope, id, 'enable', { disabled: false });
  }

  @ApiRoute({ summary: 'Revoke an API key', response: noContent })
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string, @Access() scope: AccessScope): Promise<void> {
    const key = await this.keys.get(id);
    if (!key || !ADMIN_SCOPES.includes(key.scope as 'admin' | 'read')) throw ApiError.notFound('API key');
    // Keeps the install reachable: with no admin key left, only a restart with ADMIN_API_KEY gets back in.
    if (key.scope === 'admin' && !key.revokedAt && !key.disabledAt && (await this.keys.countActive('admin')) <= 1) {
      throw new ApiError('last_admin_key', 'This is the last active admin key; create another one first.');
    }
    await this.db.transaction(async (tx) => {
      const after = await new ApiKeyRepository(tx).revoke(id, { scopes: ADMIN_SCOPES });
      await this.lifecycle.record(scope.actor, [{ entityType: 'apiKey', entityId: key.id, action: 'revoke', before: key, after }], tx);
    });
  }

  @ApiRoute({ summary: 'The audit trail of a API key, newest first', params: idParams, query: entityAuditQuerySchema, response: auditPageView })
  @Get(':id/audit-log')
  async auditLog(@Valid('params') { id }: z.output<typeof idParams>, @Valid('query') query: z.output<typeof entityAuditQuerySchema>) {
    const page = await this.audit.list({ ...query, entityType: 'apiKey', entityId: id });
    return { ...page, limit: query.limit, offset: query.offset };
  }

  /** One change of an admin or read key and its audit record, in one transaction. */
  private async change(scope: AccessScope, id: string, action: string, patch: { label?: string | null; disabled?: boolean }, expectedVersion?: number) {
    const key = await this.keys.get(id);
    if (!key || !ADMIN_SCOPES.includes(key.scope as 'admin' | 'read')) throw ApiError.notFound('API key');
    if (patch.disabled && key.scope === 'admin' && !key.revokedAt && !key.disabledAt && (await this.keys.countActive('admin')) <= 1) {
      throw new ApiError('last_admin_key', 'This is the last active admin key; create another one first.');
    }
    return this.db.transaction(async (tx): Promise<ApiKeyView> => {
      const keys = new ApiKeyRepository(tx);
      const current = await keys.lockVersion(id);
      if (current === undefined) throw ApiError.notFound('API key');
      if (expectedVersion !== undefined && expectedVersion !== current) throw staleVersion('apiKey', expectedVersion, current);
      const before = (await keys.get(id))!;
      const after = (await keys.update(id, patch))!;
      await this.lifecycle.record(scope.actor, [{ entityType: 'apiKey', entityId: id, action, before, after }], tx);
      return after;
    });
  }
}
