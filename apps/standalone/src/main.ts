import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { runMain } from '@postwire/runtime';
import { createHttpApp, listen } from '@postwire/tracker';
import { missingStandaloneNodeOptions } from './node-options';
import { StandaloneModule } from './standalone.module';

runMain(async (config) => {
  const app = await createHttpApp(StandaloneModule.forRoot(config), config);
  const missing = missingStandaloneNodeOptions(process.execArgv, process.env.NODE_OPTIONS);
  // Embedded mode's memory budget counts on them; a supervisor other than `npm start` or the image may leave them out.
  if (!config.databaseUrl && missing.length) {
    new Logger('Postwire').warn(`Started without the Node options ${missing.join(' ')}: expect up to ~60 MB more memory (see README, "Run it").`);
  }
  await listen(app, config, 'Postwire');
});
