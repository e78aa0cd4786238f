export * from './tokens';
export * from './redis-options';
export * from './config.module';
export * from './database.module';
export * from './queue.module';
export * from './delivery-queue';
export * from './run-main';
export * from './secret-box.provider';
