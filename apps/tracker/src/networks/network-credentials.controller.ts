import { Controller, Delete, Get, HttpCode, Param, Post, UseGuards } from '@nestjs/common';
import { ApiKeyRepository, NetworkRepository, SigningSecretRepository } from '@postwire/persistence';
import { hashApiKey, newApiKey, newWebhookSecret, SecretBox } from '@postwire/security';
import { z } from 'zod';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { noContent } from '../schemas/views';
import { networkApiKeyView, networkSecretView, newNetworkApiKeyView, newNetworkSecretView } from './network-views';

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

  @ApiRoute({ summary: 'Create an API key for a network (shown once)', body: labelSchema, tag: 'networks', response: newNetworkApiKeyView })
  @Post('api-keys')
  async createKey(@Param('networkId') networkId: string, @Valid('body') input: z.output<typeof labelSchema>) {
    await this.requireNetwork(networkId);
    const key = newApiKey('pw_net');
    const record = await this.keys.insert({ hash: hashApiKey(key), scope: 'network', networkId, label: input.label ?? null });
    return { ...(await this.keys.get(record.id))!, key };
  }

  @ApiRoute({ summary: 'List the API keys of a network', tag: 'networks', response: z.array(networkApiKeyView) })
  @Get('api-keys')
  async listKeys(@Param('networkId') networkId: string) {
    await this.requireNetwork(networkId);
    return this.keys.list({ networkId });
  }

  @ApiRoute({ summary: 'Revoke an API key of a network', tag: 'networks', response: noContent })
  @Delete('api-keys/:keyId')
  @HttpCode(204)
  async revokeKey(@Param('networkId') networkId: string, @Param('keyId') keyId: string): Promise<void> {
    if (!(await this.keys.revoke(keyId, { networkId }))) throw ApiError.notFound('API key of this network');
  }

  @ApiRoute({ summary: 'Create a signing secret for a network (shown once)', body: labelSchema, tag: 'networks', response: newNetworkSecretView })
  @Post('signing-secrets')
  async createSecret(@Param('networkId') networkId: string, @Valid('body') input: z.output<typeof labelSchema>) {
    await this.requireNetwork(networkId);
    if ((await this.secrets.countActive(networkId)) >= MAX_ACTIVE_SIGNING_SECRETS) {
      throw new ApiError('too_many_secrets', `A network may have ${MAX_ACTIVE_SIGNING_SECRETS} active signing secrets; revoke an old one first.`);
    }
    // One secret serves both schemes: GET signers use the whole string as the HMAC key, POST signers
    // follow Standard Webhooks (the bytes after `whsec_`), see docs/signing.md.
    const secret = newWebhookSecret();
    const view = await this.secrets.create({ networkId, sealed: this.box.seal(secret), label: input.label ?? null });
    return { ...view, secret };
  }

  @ApiRoute({ summary: 'List the signing secrets of a network', tag: 'networks', response: z.array(networkSecretView) })
  @Get('signing-secrets')
  async listSecrets(@Param('networkId') networkId: string) {
    await this.requireNetwork(networkId);
    return this.secrets.list(networkId);
  }

  @ApiRoute({ summary: 'Revoke a signing secret of a network', tag: 'networks', response: noContent })
  @Delete('signing-secrets/:secretId')
  @HttpCode(204)
  async revokeSecret(@Param('networkId') networkId: string, @Param('secretId') secretId: string): Promise<void> {
    if (!(await this.secrets.revoke(networkId, secretId))) throw ApiError.notFound('signing secret of this network');
  }

  private async requireNetwork(id: string): Promise<void> {
    if (!(await this.networks.get(id))) throw ApiError.notFound('network');
  }
}
