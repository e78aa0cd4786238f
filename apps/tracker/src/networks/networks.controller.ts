import { Controller, Get, Inject, Param, Patch, Post, UseGuards } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { checkConfig, type ConfigSchema } from '@postwire/plugin-sdk';
import { lifecycleStatus, matchesLifecycleFilter } from '@postwire/core';
import { NetworkRepository, type Network } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { Access, type AccessScope } from '../access/access-scope';
import { AdminAuthGuard } from '../access/admin-auth.guard';
import { CatalogLifecycle, lifecycleListQuery } from '../lifecycle';
import { AdapterSecrets, SECRET_MASK } from '../plugins/adapter-secrets';
import { mergeGuards } from '../guards/network-guards';
import { ApiError } from '../http/api-error';
import { ApiRoute, Valid } from '../openapi/api-route.decorator';
import { PluginRegistry } from '../plugins/plugin-registry';
import { createNetworkSchema, slugify, updateNetworkSchema } from './network-schemas';
import { networkView, postbackUrlView } from './network-views';
import { z } from 'zod';

/** Affiliate networks: each names its adapter plugin and holds that adapter's settings. */
@Controller('api/networks')
@UseGuards(AdminAuthGuard)
export class NetworksController {
  constructor(
    private readonly networks: NetworkRepository,
    private readonly registry: PluginRegistry,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
    private readonly secrets: AdapterSecrets,
    private readonly lifecycle: CatalogLifecycle,
  ) {}

  @ApiRoute({ summary: 'Create an affiliate network', body: createNetworkSchema, response: networkView })
  @Post()
  async create(@Valid('body') input: z.output<typeof createNetworkSchema>, @Access() scope: AccessScope) {
    const adapter = this.registry.adapter(input.adapter);
    if (!adapter) {
      const known = this.registry.listAdapters().map((a) => a.adapter.id);
      throw ApiError.badParameter('adapter', `unknown adapter "${input.adapter}"; installed: ${known.join(', ')}`);
    }
    const checked = checkConfig(adapter.configSchema, input.adapterConfig);
    if (!checked.ok) throw ApiError.badParameter('adapterConfig', checked.errors.join('; '));
    const guards = mergeGuards(input.guards);
    const slug = input.slug ?? (await this.freeSlug(slugify(input.name)));
    if (input.slug && (await this.networks.slugExists(slug))) throw new ApiError('slug_taken', `slug: "${slug}" is already used by another network`);
    const { plain, sealed } = this.secrets.seal(adapter.configSchema, checked.value);
    const network = await this.networks.create({ ...input, slug, adapterConfig: plain, adapterSecrets: sealed, guards }).catch(slugTaken(slug));
    const shown = this.view(network);
    await this.lifecycle.created(scope, 'network', network.id, shown);
    return shown;
  }

  /**
   * Changes settings, guards, name, slug and tags; a secret setting sent back as `********` keeps the stored
   * one. A stale `version` is a 409 (docs/lifecycle.md).
   */
  @ApiRoute({ summary: 'Change a network (settings, guards, name, tags)', body: updateNetworkSchema, response: networkView })
  @Patch(':id')
  async update(@Param('id') id: string, @Valid('body') { version, ...input }: z.output<typeof updateNetworkSchema>, @Access() scope: AccessScope) {
    const network = await this.networks.get(id);
    if (!network) throw ApiError.notFound('network');
    const adapter = this.registry.adapter(network.adapter);
    if (!adapter) throw new ApiError('adapter_not_installed', `The network adapter "${network.adapter}" is not installed.`);
    let config: { plain: Record<string, unknown>; sealed: Record<string, string> } | undefined;
    if (input.adapterConfig) {
      const checked = checkConfig(adapter.configSchema, await this.secrets.configAfterChange(network, adapter.configSchema, input.adapterConfig));
      if (!checked.ok) throw ApiError.badParameter('adapterConfig', checked.errors.join('; '));
      config = this.secrets.seal(adapter.configSchema, checked.value);
    }
    const guards = input.guards ? mergeGuards(input.guards, network.guards) : undefined;
    if (input.slug && input.slug !== network.slug && (await this.networks.slugExists(input.slug))) {
      throw new ApiError('slug_taken', `slug: "${input.slug}" is already used by another network`);
    }
    const updated = await this.lifecycle
      .edit(scope, 'network', id, version, {
        show: async (tx) => this.view((await new NetworkRepository(tx).get(id))!),
        apply: (tx) => new NetworkRepository(tx).update(id, { ...input, adapterConfig: config?.plain, adapterSecrets: config?.sealed, guards }),
      })
      .catch(slugTaken(input.slug ?? network.slug));
    return this.view((await this.networks.get(updated!.id))!);
  }

  /** Archived networks only with `archived=true` (or `all`); `tag` and `status` filter further. */
  @ApiRoute({ summary: 'List networks', query: lifecycleListQuery, response: z.array(networkView) })
  @Get()
  async list(@Valid('query') filter: z.output<typeof lifecycleListQuery>) {
    return (await this.networks.list()).filter((n) => matchesLifecycleFilter(n, filter)).map((n) => this.view(n));
  }

  @ApiRoute({ summary: 'One network', response: networkView })
  @Get(':id')
  async get(@Param('id') id: string) {
    const network = await this.networks.get(id);
    if (!network) throw ApiError.notFound('network');
    return this.view(network);
  }

  /** The URL to paste into the network's postback settings, with that network's own macros. */
  @ApiRoute({ summary: 'The postback URL to paste into the network', response: postbackUrlView })
  @Get(':id/postback-url')
  async postbackUrl(@Param('id') id: string) {
    const network = await this.networks.get(id);
    if (!network) throw ApiError.notFound('network');
    const adapter = this.registry.adapter(network.adapter);
    if (!adapter) throw new ApiError('adapter_not_installed', `The network adapter "${network.adapter}" is not installed.`);
    return { networkId: network.id, adapter: adapter.id, url: adapter.postbackUrlTemplate(this.config.publicUrl, { id: network.id, slug: network.slug }) };
  }

  /** Secret settings are never given back after creation: they show as `********`. */
  private view(network: Network) {
    const schema: ConfigSchema = this.registry.adapter(network.adapter)?.configSchema ?? {};
    const adapterConfig: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(network.adapterConfig)) adapterConfig[key] = schema[key]?.secret ? SECRET_MASK : value;
    const { secretFields, ...rest } = network;
    for (const key of secretFields ?? []) adapterConfig[key] = SECRET_MASK;
    return { ...rest, defaultCurrency: network.defaultCurrency.trim(), adapterConfig, guards: network.guards ?? {}, status: lifecycleStatus(network) };
  }

  private async freeSlug(base: string): Promise<string> {
    for (let i = 1; ; i++) {
      const slug = i === 1 ? base : `${base}-${i}`;
      if (!(await this.networks.slugExists(slug))) return slug;
    }
  }
}

/** Two admins taking one slug at once: the unique index decides, and the loser gets the same 409 as a sequential clash. */
function slugTaken(slug: string): (error: unknown) => never {
  return (error) => {
    if ((error as { code?: unknown })?.code === '23505') throw new ApiError('slug_taken', `slug: "${slug}" is already used by another network`);
    throw error;
  };
}
