import { DynamicModule, Module } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { ConfigModule, DatabaseModule, QueueModule } from '@postwire/runtime';
import { TrackerModule } from '@postwire/tracker';
import { WorkerModule } from '@postwire/worker';

/**
 * Tracker and worker in one process on one database connection: what `npm start` runs. The
 * embedded PGlite database is a single connection, so this is also the only way to use it.
 */
@Module({})
export class StandaloneModule {
  static forRoot(config: PostwireConfig): DynamicModule {
    return {
      module: StandaloneModule,
      imports: [
        ConfigModule.forRoot(config),
        DatabaseModule.forRoot(),
        QueueModule.forRoot(),
        TrackerModule.forRoot(config, { withInfrastructure: false }),
        WorkerModule.forRoot(config, { withInfrastructure: false }),
      ],
    };
  }
}
