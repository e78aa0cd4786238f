import { Body, Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiKeyRepository, NetworkRepository, SigningSecretRepository } from '@postwire/persistence';
import { hashApiKey, newApiKey, newWebhookSecret, SecretBox } from '@postwire/security';
import { z } from 'zod';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { validate } from '../http/validate';
import { ApiDoc } from '../openapi/api-doc.decorator';

const labelSchema = z.object({ label: z.string().trim().max(200).optional() }).strict();

/** Each check of a signed postback costs one HMAC per active secret; rotation needs two, a few more is slack. */
const MAX_ACTIVE_SIGNING_SECRETS = 5;

/**
 * The credentials a network's postbacks are checked with: API keys (stored as sha256) and signing
 * secrets (sealed with SecretBox). Each is shown once, in the answer that creates it; several may be
 * active at once so a network can rotate without downtime; DELETE revokes.
 */
@Controller('api/networks/:networkId')
@UseGuards(AdminAuthGuard)
@RequireAdminScope()
export class NetworkCredentialsController {
  constructor(
    private readonly networks: NetworkRepository,
    private readonly keys: ApiKeyRepository,
    private readonly secrets: SigningSecretRepository,
    private readonly box: SecretBox,
  ) {}

  @ApiDoc({ summary: 'Create an API key for a network (shown once)', body: labelSchema, tag: 'networks' })
  @Post('api-keys')
  async createKey(@Param('networkId') networkId: string, @Body() body: unknown) {
    const input = validate(labelSchema, body ?? {});
    await this.requireNetwork(networkId);
    const key = newApiKey('pw_net');
    const record = await this.keys.insert({ hash: hashApiKey(key), scope: 'network', networkId, label: input.label ?? null });
    return { ...(await this.keys.get(record.id)), key };
  }

  @ApiDoc({ summary: 'List the API keys of a network', tag: 'networks' })
  @Get('api-keys')
  async listKeys(@Param('networkId') networkId: string) {
    await this.requireNetwork(networkId);
    return this.keys.list({ networkId });
  }

  @ApiDoc({ summary: 'Revoke an API key of a network', tag: 'networks' })
  @Delete('api-keys/:keyId')
  @HttpCode(204)
  async revokeKey(@Param('networkId') networkId: string, @Param('keyId') keyId: string): Promise<void> {
    if (!(await this.keys.revoke(keyId, { networkId }))) throw ApiError.notFound('API key of this network');
  }

  @ApiDoc({ summary: 'Create a signing secret for a network (shown once)', body: labelSchema, tag: 'networks' })
  @Post('signing-secrets')
  async createSecret(@Param('networkId') networkId: string, @Body() body: unknown) {
    const input = validate(labelSchema, body ?? {});
    await this.requireNetwork(networkId);
    if ((await this.secrets.countActive(networkId)) >= MAX_ACTIVE_SIGNING_SECRETS) {
      throw new ApiError(409, 'too_many_secrets', `A network may have ${MAX_ACTIVE_SIGNING_SECRETS} active signing secrets; revoke an old one first.`);
    }
    // One secret serves both schemes: GET signers use the whole string as the HMAC key, POST signers
    // follow Standard Webhooks (the bytes after `whsec_`), see docs/signing.md.
    const secret = newWebhookSecret();
    const view = await this.secrets.create({ networkId, sealed: this.box.seal(secret), label: input.label ?? null });
    return { ...view, secret };
  }

  @ApiDoc({ summary: 'List the signing secrets of a network', tag: 'networks' })
  @Get('signing-secrets')
  async listSecrets(@Param('networkId') networkId: string) {
    await this.requireNetwork(networkId);
    return this.secrets.list(networkId);
  }

  @ApiDoc({ summary: 'Revoke a signing secret of a network', tag: 'networks' })
  @Delete('signing-secrets/:secretId')
  @HttpCode(204)
  async revokeSecret(@Param('networkId') networkId: string, @Param('secretId') secretId: string): Promise<void> {
    if (!(await this.secrets.revoke(networkId, secretId))) throw ApiError.notFound('signing secret of this network');
  }

  private async requireNetwork(id: string): Promise<void> {
    if (!(await this.networks.get(id))) throw ApiError.notFound('network');
  }
}
