import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { runMain } from '@postwire/runtime';
import { WorkerModule } from './worker.module';

/** Forwarding workers alone, for scale-out: as many as you like on one Redis and one database. */
runMain(async (config) => {
  const app = await NestFactory.createApplicationContext(WorkerModule.forRoot(config), { logger: ['log', 'warn', 'error', 'fatal'] });
  app.enableShutdownHooks();
  new Logger('Worker').log('forwarding worker started');
});
