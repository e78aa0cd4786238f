import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { EmailTaken, UserRepository } from '@postwire/persistence';
import { hashPassword, newPassword } from '@postwire/security';
import { rememberOneTimeSecret } from '../boot/ready-block';

/** The e-mail address of the admin account made at first boot; `npm run user:create` makes others. */
export const FIRST_ADMIN_EMAIL = 'admin@postwire.local';

/**
 * On a first boot without any console account, makes an admin with a generated password and prints
 * it once (only its scrypt hash is stored), as the admin API key is.
 */
@Injectable()
export class FirstAdminBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger('FirstAdmin');

  constructor(private readonly users: UserRepository) {}

  async onApplicationBootstrap(): Promise<void> {
    if ((await this.users.count()) > 0) return;
    const password = newPassword();
    try {
      await this.users.create({ email: FIRST_ADMIN_EMAIL, passwordHash: await hashPassword(password), role: 'admin' });
    } catch (error) {
      // Another process booting on the same database made it first.
      if (error instanceof EmailTaken) return;
      throw error;
    }
    rememberOneTimeSecret('admin e-mail', FIRST_ADMIN_EMAIL);
    rememberOneTimeSecret('admin password', password);
    this.logger.warn(
      'No console account existed, so an admin was made; its password is in the "ready" block at the end of boot. Change it after signing in (console: Account › Password).',
    );
  }
}
