import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import type { ConfigSchema } from '@postwire/plugin-sdk';
import { NetworkRepository, type Network } from '@postwire/persistence';
import { SecretBox } from '@postwire/security';
import { PluginRegistry } from './plugin-registry';

/** What the admin API shows in place of a secret setting; sent back unchanged in a PATCH it means "keep the stored one". */
export const SECRET_MASK = '********';

/**
 * Adapter settings marked `secret: true` (ClickBank's secret key, Digistore24's passphrase …) live
 * sealed with SecretBox in `networks.adapter_secrets`, never in `adapter_config`. They are opened only
 * when the adapter runs, so no admin view, log or export of a network row can contain them.
 */
@Injectable()
export class AdapterSecrets implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdapterSecrets');

  constructor(
    private readonly box: SecretBox,
    private readonly networks: NetworkRepository,
    private readonly registry: PluginRegistry,
  ) {}

  /** Splits a checked config into the settings stored as they are and the secret ones, sealed. */
  seal(schema: ConfigSchema, config: Record<string, unknown>): { plain: Record<string, unknown>; sealed: Record<string, string> } {
    const plain: Record<string, unknown> = {};
    const sealed: Record<string, string> = {};
    for (const [key, value] of Object.entries(config)) {
      if (schema[key]?.secret && typeof value === 'string') sealed[key] = this.box.seal(value);
      else plain[key] = value;
    }
    return { plain, sealed };
  }

  /** The full config an adapter runs with: stored settings plus the secret ones, opened. */
  async configFor(network: Network): Promise<Record<string, unknown>> {
    if (!network.secretFields?.length) return network.adapterConfig;
    const sealed = await this.networks.sealedSecrets(network.id);
    const opened: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(sealed)) opened[key] = this.box.open(value);
    return { ...network.adapterConfig, ...opened };
  }

  /**
   * The config after an admin's change: given keys replace stored ones, except a secret sent back as
   * {@link SECRET_MASK}, which keeps the stored secret (an admin UI round-trips what GET showed).
   */
  async configAfterChange(network: Network, schema: ConfigSchema, change: Record<string, unknown>): Promise<Record<string, unknown>> {
    const current = await this.configFor(network);
    const next: Record<string, unknown> = { ...current };
    for (const [key, value] of Object.entries(change)) {
      if (schema[key]?.secret && value === SECRET_MASK && key in current) continue;
      next[key] = value;
    }
    return next;
  }

  /** Seals secret settings still stored in plain text by a version before sealing existed. */
  async onApplicationBootstrap(): Promise<void> {
    for (const network of await this.networks.list()) {
      const schema = this.registry.adapter(network.adapter)?.configSchema;
      if (!schema) continue;
      const legacy = Object.keys(network.adapterConfig).filter((key) => schema[key]?.secret && typeof network.adapterConfig[key] === 'string');
      if (legacy.length === 0) continue;
      const sealed = await this.networks.sealedSecrets(network.id);
      const plain = { ...network.adapterConfig };
      for (const key of legacy) {
        sealed[key] ??= this.box.seal(plain[key] as string);
        delete plain[key];
      }
      await this.networks.update(network.id, { adapterConfig: plain, adapterSecrets: sealed });
      this.logger.log(`sealed ${legacy.length} adapter secret(s) of network ${network.slug} that were stored in plain text`);
    }
  }
}
