import { Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiKeyRepository } from '@postwire/persistence';
import { hashApiKey, newApiKey } from '@postwire/security';
import { z } from 'zod';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { apiKeyView, newApiKeyView } from '../schemas/credential-views';
import { noContent } from '../schemas/views';

export const createApiKeySchema = z
  .object({
    scope: z.enum(['admin', 'read']),
    label: z.string().trim().max(200).optional(),
  })
  .strict();

const ADMIN_SCOPES: Array<'admin' | 'read'> = ['admin', 'read'];

/**
 * Admin API keys. A key is shown once, in the answer that creates it; only its sha256 is stored.
 * Network keys (for postbacks) are managed under `/api/networks/:id/api-keys`.
 */
@Controller('api/api-keys')
@UseGuards(AdminAuthGuard)
@RequireAdminScope()
export class ApiKeysController {
  constructor(private readonly keys: ApiKeyRepository) {}

  @ApiRoute({ summary: 'Create an admin or read API key (shown once)', body: createApiKeySchema, response: newApiKeyView })
  @Post()
  async create(@Valid('body') input: z.output<typeof createApiKeySchema>) {
    const key = newApiKey(input.scope === 'admin' ? 'pw_admin' : 'pw_read');
    const record = await this.keys.insert({ hash: hashApiKey(key), scope: input.scope, label: input.label ?? null });
    return { ...(await this.keys.get(record.id))!, key };
  }

  @ApiRoute({ summary: 'List admin and read API keys (never the keys)', response: z.array(apiKeyView) })
  @Get()
  list() {
    return this.keys.list({ scopes: ADMIN_SCOPES });
  }

  @ApiRoute({ summary: 'Revoke an API key', response: noContent })
  @Delete(':id')
  @HttpCode(204)
  async revoke(@Param('id') id: string): Promise<void> {
    const key = await this.keys.get(id);
    if (!key || !ADMIN_SCOPES.includes(key.scope as 'admin' | 'read')) throw ApiError.notFound('API key');
    // Keeps the install reachable: with no admin key left, only a restart with ADMIN_API_KEY gets back in.
    if (key.scope === 'admin' && !key.revokedAt && (await this.keys.countActive('admin')) <= 1) {
      throw new ApiError('last_admin_key', 'This is the last active admin key; create another one first.');
    }
    await this.keys.revoke(id, { scopes: ADMIN_SCOPES });
  }
}
