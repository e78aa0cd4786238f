import { Inject, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { ApiKeyRepository } from '@postwire/persistence';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { hashApiKey, newApiKey } from '@postwire/security';
import { rememberOneTimeSecret } from '../boot/ready-block';

/**
 * Makes sure an admin can get in: the key in ADMIN_API_KEY is registered (by its hash), and on a
 * first boot without one a key is generated, stored as a hash and printed once.
 */
@Injectable()
export class AdminKeyBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('AdminKey');

  constructor(
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
    private readonly keys: ApiKeyRepository,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.adminApiKey) {
      await this.keys.insert({ hash: hashApiKey(this.config.adminApiKey), scope: 'admin', label: 'ADMIN_API_KEY' });
      return;
    }
    if ((await this.keys.countActive('admin')) > 0) return;
    const key = newApiKey('pw_admin');
    await this.keys.insert({ hash: hashApiKey(key), scope: 'admin', label: 'generated at first boot' });
    // Printed once, on purpose: only its hash is stored, so this is the one chance to copy it.
    rememberOneTimeSecret('admin API key', key);
    this.logger.warn('No ADMIN_API_KEY was set, so one was generated; it is in the "ready" block at the end of boot.');
  }
}
