import { Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import {
  AuditLogRepository,
  EmailTaken,
  LastAdmin,
  StaleUserVersion,
  UserRepository,
  type LostCreatorPolicy,
  type SqlExecutor,
  type User,
} from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { hashPassword } from '@postwire/security';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { auditPageView, CatalogLifecycle, entityAuditQuerySchema, staleVersion } from '../lifecycle';
import { z } from 'zod';
import { createUserSchema, sessionUserView, updateUserSchema, userSchema } from './auth-schemas';
import { Sessions } from '../access/sessions';
import { idParams, noContent } from '../schemas/views';

/**
 * Console accounts (admins only). A changed password or a deleted account ends that user's sessions at
 * once; a deleted or demoted admin's API keys end too (API_KEYS_OF_LOST_ADMINS). The last admin can be
 * neither deleted nor demoted, checked and changed in one locked transaction so two concurrent requests
 * cannot both pass.
 */
@Controller('api/users')
@UseGuards(AdminAuthGuard)
@RequireAdminScope()
export class UsersController {
  private readonly keysOfLostAdmins: LostCreatorPolicy;

  constructor(
    private readonly users: UserRepository,
    private readonly sessions: Sessions,
    @Inject(POSTWIRE_CONFIG) config: PostwireConfig,
    private readonly lifecycle: CatalogLifecycle,
    private readonly audit: AuditLogRepository,
  ) {
    this.keysOfLostAdmins = config.auth.keysOfLostAdmins;
  }

  @ApiRoute({ summary: 'List console users', response: z.array(userSchema) })
  @Get()
  async list() {
    return (await this.users.list()).map(view);
  }

  @ApiRoute({ summary: 'Create a console user', body: createUserSchema, response: userSchema })
  @Post()
  async create(@Valid('body') input: z.output<typeof createUserSchema>, @Access() scope: AccessScope) {
    await this.checkCampaigns(input.campaignIds);
    const { password, ...rest } = input;
    const user = view(await this.users.create({ ...rest, passwordHash: await hashPassword(password) }).catch(refused));
    await this.lifecycle.created(scope, 'user', user.id, user);
    return user;
  }

  @ApiRoute({ summary: 'One console user', response: userSchema })
  @Get(':id')
  async get(@Param('id') id: string) {
    const user = await this.users.get(id);
    if (!user) throw ApiError.notFound('user');
    return view(user);
  }

  /** A stale `version` is a 409; a console session must send one (docs/lifecycle.md). */
  @ApiRoute({ summary: 'Change a console user: name, role, grants… (a new password ends its sessions)', body: updateUserSchema, response: userSchema })
  @Patch(':id')
  async update(@Param('id') id: string, @Valid('body') { version, ...input }: z.output<typeof updateUserSchema>, @Access() scope: AccessScope) {
    const user = await this.users.get(id);
    if (!user) throw ApiError.notFound('user');
    if (version === undefined && scope.via === 'session') throw ApiError.badParameter('version', 'is required: send the version the user was read with');
    await this.checkCampaigns(input.campaignIds);
    const { password, ...rest } = input;
    const patch = { ...rest, ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }) };
    const updated = await this.change(scope, id, patch, 'edit', version);
    if (password !== undefined) await this.sessions.endAllOf(id);
    return updated;
  }

  /** A disabled user cannot sign in and its sessions end; its API keys end as a demoted admin's do. The last admin cannot be disabled. */
  @ApiRoute({ summary: 'Disable a console user', params: idParams, response: userSchema })
  @Post(':id/disable')
  @HttpCode(200)
  async disable(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
    return this.change(scope, id, { disabled: true }, 'disable');
  }

  @ApiRoute({ summary: 'Enable a disabled console user again', params: idParams, response: userSchema })
  @Post(':id/enable')
  @HttpCode(200)
  async enable(@Valid('params') { id }: z.output<typeof idParams>, @Access() scope: AccessScope) {
    return this.change(scope, id, { disabled: false }, 'enable');
  }

  @ApiRoute({ summary: 'Delete a console user', response: noContent })
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string, @Access() scope: AccessScope): Promise<void> {
    // Sessions go with the account (ON DELETE CASCADE).
    const audit = (tx: SqlExecutor, before: User) =>
      this.lifecycle.record(scope.actor, [{ entityType: 'user', entityId: id, action: 'delete', before: view(before), after: null }], tx);
    if (!(await this.users.delete(id, this.keysOfLostAdmins, audit).catch(refused))) throw ApiError.notFound('user');
  }

  @ApiRoute({ summary: 'The audit trail of a console user, newest first', params: idParams, query: entityAuditQuerySchema, response: auditPageView })
  @Get(':id/audit-log')
  async auditLog(@Valid('params') { id }: z.output<typeof idParams>, @Valid('query') query: z.output<typeof entityAuditQuerySchema>) {
    const page = await this.audit.list({ ...query, entityType: 'user', entityId: id });
    return { ...page, limit: query.limit, offset: query.offset };
  }

  /** One change and its audit record, in one transaction. */
  private async change(scope: AccessScope, id: string, patch: Parameters<UserRepository['update']>[1], action: string, expectedVersion?: number) {
    const updated = await this.users
      .update(id, patch, this.keysOfLostAdmins, {
        expectedVersion,
        onChanged: (tx, before, after) =>
          this.lifecycle.record(scope.actor, [{ entityType: 'user', entityId: id, action, before: view(before), after: view(after) }], tx),
      })
      .catch(refused);
    if (!updated) throw ApiError.notFound('user');
    return view(updated);
  }

  private async checkCampaigns(ids: string[] | undefined): Promise<void> {
    const unknown = ids?.length ? await this.users.unknownCampaigns(ids) : [];
    if (unknown.length) throw ApiError.badParameter('campaignIds', `no campaign with id ${unknown.slice(0, 3).join(', ')}`);
  }
}

function view(user: User) {
  return {
    ...sessionUserView(user),
    name: user.name,
    disabledAt: user.disabledAt,
    status: user.disabledAt ? ('disabled' as const) : ('active' as const),
    version: user.version,
    createdAt: user.createdAt,
    updatedAt: user.updatedAt,
  };
}

function refused(error: unknown): never {
  if (error instanceof EmailTaken) throw new ApiError('email_taken', error.message, 'email');
  // Keeps the console reachable: the last admin account cannot be deleted or demoted.
  if (error instanceof LastAdmin) throw new ApiError('last_admin', error.message);
  if (error instanceof StaleUserVersion) throw staleVersion('user', error.given, error.current);
  throw error;
}
