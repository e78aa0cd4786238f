import { Logger, type Provider } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { SecretBox } from '@postwire/security';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { POSTWIRE_CONFIG } from './tokens';

/**
 * The box that encrypts secrets at rest. With SECRETS_KEY set, that key; without it (the zero-setup
 * single box), a random key kept in DATA_DIR/secrets.key, readable by the owner only. Every process
 * sharing one database must share one key, so multi-process deployments should set SECRETS_KEY.
 */
export const secretBoxProvider: Provider = {
  provide: SecretBox,
  inject: [POSTWIRE_CONFIG],
  useFactory: (config: PostwireConfig) => SecretBox.fromEnv(config.secretsKey ?? keyFromDataDir(config)),
};

function keyFromDataDir(config: PostwireConfig): string {
  const file = join(config.dataDir, 'secrets.key');
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(config.dataDir, { recursive: true });
  const key = randomBytes(32).toString('hex');
  writeFileSync(file, key + '\n', { mode: 0o600, flag: 'wx' });
  const logger = new Logger('Secrets');
  logger.warn(`SECRETS_KEY is not set; generated ${file}. Back it up: stored secrets cannot be read without it.`);
  if (config.databaseUrl) logger.warn('With DATABASE_URL every tracker and worker must use the same key: set SECRETS_KEY.');
  return key;
}
