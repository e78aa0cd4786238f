import { Controller, Delete, Get, HttpCode, Inject, Param, Post, UseGuards } from '@nestjs/common';
import { ApiKeyRepository, NetworkRepository, SigningSecretRepository, type SqlClient, type SqlExecutor } from '@postwire/persistence';
import { SQL_CLIENT } from '@postwire/runtime';
import { hashApiKey, newApiKey, newWebhookSecret, SecretBox } from '@postwire/security';
import { z } from 'zod';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard, RequireAdminScope } from '../access/admin-auth.guard';
import { CatalogLifecycle } from '../lifecycle';
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
 * active at once so a network can rotate without downtime; DELETE revokes. Each creation and revocation is
 * in the network's audit trail (`add_api_key`, `revoke_api_key`, `add_signing_secret`, `revoke_signing_secret`),
 * written in the change's own transaction, with the credential as listed (never the key or secret itself).
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
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly lifecycle: CatalogLifecycle,
  ) {}

  @ApiRoute({ summary: 'Create an API key for a network (shown once)', body: labelSchema, tag: 'networks', response: newNetworkApiKeyView })
  @Post('api-keys')
  async createKey(@Param('networkId') networkId: string, @Valid('body') input: z.output<typeof labelSchema>, @Access() scope: AccessScope) {
    await this.requireNetwork(networkId);
    const key = newApiKey('pw_net');
    const view = await this.db.transaction(async (tx) => {
      const keys = new ApiKeyRepository(tx);
      const record = await keys.insert({ hash: hashApiKey(key), scope: 'network', networkId, label: input.label ?? null });
      const created = (await keys.get(record.id))!;
      await this.audit(scope, networkId, 'add_api_key', null, { apiKey: created }, tx);
      return created;
    });
    return { ...view, key };
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
  async revokeKey(@Param('networkId') networkId: string, @Param('keyId') keyId: string, @Access() scope: AccessScope): Promise<void> {
    await this.db.transaction(async (tx) => {
      const keys = new ApiKeyRepository(tx);
      const before = await keys.get(keyId);
      const after = before?.networkId === networkId ? await keys.revoke(keyId, { networkId }) : undefined;
      if (!after) throw ApiError.notFound('API key of this network');
      await this.audit(scope, networkId, 'revoke_api_key', { apiKey: before }, { apiKey: after }, tx);
    });
  }

  @ApiRoute({ summary: 'Create a signing secret for a network (shown once)', body: labelSchema, tag: 'networks', response: newNetworkSecretView })
  @Post('signing-secrets')
  async createSecret(@Param('networkId') networkId: string, @Valid('body') input: z.output<typeof labelSchema>, @Access() scope: AccessScope) {
    await this.requireNetwork(networkId);
    if ((await this.secrets.countActive(networkId)) >= MAX_ACTIVE_SIGNING_SECRETS) {
      throw new ApiError('too_many_secrets', `A network may have ${MAX_ACTIVE_SIGNING_SECRETS} active signing secrets; revoke an old one first.`);
    }
    // One secret serves both schemes: GET signers use the whole string as the HMAC key, POST signers
    // follow Standard Webhooks (the bytes after `whsec_`), see docs/signing.md.
    const secret = newWebhookSecret();
    const view = await this.db.transaction(async (tx) => {
      const created = await new SigningSecretRepository(tx).create({ networkId, sealed: this.box.seal(secret), label: input.label ?? null });
      await this.audit(scope, networkId, 'add_signing_secret', null, { signingSecret: created }, tx);
      return created;
    });
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
  async revokeSecret(@Param('networkId') networkId: string, @Param('secretId') secretId: string, @Access() scope: AccessScope): Promise<void> {
    await this.db.transaction(async (tx) => {
      const secrets = new SigningSecretRepository(tx);
      const before = (await secrets.list(networkId)).find((s) => s.id === secretId);
      const after = before ? await secrets.revoke(networkId, secretId) : undefined;
      if (!after) throw ApiError.notFound('signing secret of this network');
      await this.audit(scope, networkId, 'revoke_signing_secret', { signingSecret: before }, { signingSecret: after }, tx);
    });
  }

  /** One credential change in the network's audit trail, in the change's transaction. */
  private audit(scope: AccessScope, networkId: string, action: string, before: unknown, after: unknown, tx: SqlExecutor): Promise<void> {
    return this.lifecycle.record(scope.actor, [{ entityType: 'network', entityId: networkId, action, before, after }], tx);
  }

  private async requireNetwork(id: string): Promise<void> {
    if (!(await this.networks.get(id))) throw ApiError.notFound('network');
  }
}
