// What another app (the standalone) composes from the worker.
export { WorkerModule } from './worker.module';
