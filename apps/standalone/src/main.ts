import 'reflect-metadata';
import { runMain } from '@postwire/runtime';
import { createHttpApp, listen } from '@postwire/tracker';
import { StandaloneModule } from './standalone.module';

runMain(async (config) => {
  const app = await createHttpApp(StandaloneModule.forRoot(config), config);
  await listen(app, config, 'Postwire');
});
