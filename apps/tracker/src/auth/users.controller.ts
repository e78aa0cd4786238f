import { Controller, Delete, Get, HttpCode, Param, Patch, Post, UseGuards } from '@nestjs/common';
import { EmailTaken, UserRepository, type User } from '@postwire/persistence';
import { hashPassword } from '@postwire/security';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { z } from 'zod';
import { createUserSchema, sessionUserView, updateUserSchema, userSchema } from './auth-schemas';
import { Sessions } from '../access/sessions';
import { noContent } from '../schemas/views';

/** Console accounts (admins only). A changed password or a deleted account ends that user's sessions at once. */
@Controller('api/users')
@UseGuards(AdminAuthGuard)
@RequireAdminScope()
export class UsersController {
  constructor(
    private readonly users: UserRepository,
    private readonly sessions: Sessions,
  ) {}

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
    return view(await this.users.create({ ...rest, passwordHash: await hashPassword(password) }).catch(emailTaken));
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
    if (input.role && input.role !== 'admin' && user.role === 'admin') await this.keepOneAdmin();
    await this.checkCampaigns(input.campaignIds);
    const { password, ...rest } = input;
    const updated = await this.users
      .update(id, { ...rest, ...(password === undefined ? {} : { passwordHash: await hashPassword(password) }) })
      .catch(emailTaken);
    if (!updated) throw ApiError.notFound('user');
    if (password !== undefined) await this.sessions.endAllOf(id);
    return view(updated);
  }

  @ApiRoute({ summary: 'Delete a console user', response: noContent })
  @Delete(':id')
  @HttpCode(204)
  async remove(@Param('id') id: string): Promise<void> {
    const user = await this.users.get(id);
    if (!user) throw ApiError.notFound('user');
    if (user.role === 'admin') await this.keepOneAdmin();
    // Sessions go with the account (ON DELETE CASCADE).
    await this.users.delete(id);
  }

  /** Keeps the console reachable: the last admin account cannot be deleted or demoted. */
  private async keepOneAdmin(): Promise<void> {
    if ((await this.users.countByRole('admin')) <= 1) throw new ApiError('last_admin', 'This is the last admin account; make another admin first.');
  }

  private async checkCampaigns(ids: string[] | undefined): Promise<void> {
    const unknown = ids?.length ? await this.users.unknownCampaigns(ids) : [];
    if (unknown.length) throw ApiError.badParameter('campaignIds', `no campaign with id ${unknown.slice(0, 3).join(', ')}`);
  }
}

function view(user: User) {
  return { ...sessionUserView(user), createdAt: user.createdAt, updatedAt: user.updatedAt };
}

function emailTaken(error: unknown): never {
  if (error instanceof EmailTaken) throw new ApiError('email_taken', error.message, 'email');
  throw error;
}
