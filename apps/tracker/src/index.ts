// What another app (the standalone) composes from the tracker.
export { TrackerModule } from './tracker.module';
export { createHttpApp, listen } from './create-http-app';
