import { ConfigError, loadConfig, type PostwireConfig } from '@postwire/config';

/**
 * Entry-point wrapper: parse the configuration first (a bad value stops boot with a message
 * naming it, before anything connects), then start; any boot failure exits non-zero.
 */
export function runMain(start: (config: PostwireConfig) => Promise<void>): void {
  let config: PostwireConfig;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`Postwire cannot start.\n${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  start(config).catch((error: Error) => {
    process.stderr.write(`Postwire failed to start: ${error.stack ?? error.message}\n`);
    process.exit(1);
  });
}
