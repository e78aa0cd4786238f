import { Controller, Delete, Get, HttpCode, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { EmailTaken, LastAdmin, UserRepository, type LostCreatorPolicy, type User } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { hashPassword } from '@postwire/security';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { z } from 'zod';
import { createUserSchema, sessionUserView, updateUserSchema, userSchema } from './auth-schemas';
import { Sessions } from '../access/sessions';
import { noContent } from '../schemas/views';

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
  async create(@Valid('body') input: z.output<typeof createUserSchema>) {
    await this.checkCampaigns(input.campaignIds);
    const { password, ...rest } = input;
    return view(await this.users.create({ ...rest, passwordHash: await hashPassword(password) }).catch(refused));
  }

  @ApiRoute({ summary: 'One console user', response: userSchema })
  @Get(':id')
  async get(@Param('id') id: string) {
    const user = await this.users.get(id);
    if (!user) throw ApiError.notFound('user');
    return view(user);
  }

  @ApiRoute({ summary: 'Change a console user (a new password ends its sessions)', body: updateUserSchema, response: userSchema })
  @Patch(':id')
  async update(@Param('id') id: string, @Valid('body') input: z.output<typeof updateUserSchema>) {
    const user = await this.users.get(id);
    if (!user) throw ApiError.notFound('user');
    await this.checkCampaigns(input.campaignIds);
    const { password, ...rest } = input;
    const updated = await this.users
      .update(id, { ...rest, ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }) }, this.keysOfLostAdmins)
      .catch(refused);
    if (!updated) throw ApiError.notFound('user');
    if (password !== undefined) await this.sessions.endAllOf(id);
    return view(updated);
  }

  @ApiRoute({ summary: 'Delete a console user', response: noContent })
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    // Sessions go with the account (ON DELETE CASCADE).
    if (!(await this.users.delete(id, this.keysOfLostAdmins).catch(refused))) throw ApiError.notFound('user');
  }

  private async checkCampaigns(ids: string[] | undefined): Promise<void> {
    const unknown = ids?.length ? await this.users.unknownCampaigns(ids) : [];
    if (unknown.length) throw ApiError.badParameter('campaignIds', `no campaign with id ${unknown.slice(0, 3).join(', ')}`);
  }
}

function view(user: User) {
  return { ...sessionUserView(user), createdAt: user.createdAt, updatedAt: user.updatedAt };
}

function refused(error: unknown): never {
  if (error instanceof EmailTaken) throw new ApiError('email_taken', error.message, 'email');
  // Keeps the console reachable: the last admin account cannot be deleted or demoted.
  if (error instanceof LastAdmin) throw new ApiError('last_admin', error.message);
  throw error;
}
