// The public surface of lifecycle/ for other features (ESLint refuses imports of its other files from outside).
export { LifecycleModule } from './lifecycle.module';
export { CatalogLifecycle, staleVersion, type LifecycleState } from './catalog-lifecycle';
export { catalogLifecycleController } from './catalog-lifecycle.controller';
export { entityAuditQuerySchema, lifecycleListQuery, tags, version } from './lifecycle-schemas';
export { auditPageView, lifecycleFields } from './lifecycle-views';
