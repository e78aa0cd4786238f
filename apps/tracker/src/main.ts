import 'reflect-metadata';
import { runMain } from '@postwire/runtime';
import { createHttpApp, listen } from './create-http-app';
import { TrackerModule } from './tracker.module';

/** The tracker alone, for scale-out: run workers separately with `npm run start:worker`. */
runMain(async (config) => {
  const app = await createHttpApp(TrackerModule.forRoot(config), config);
  await listen(app, config, 'Tracker');
});
