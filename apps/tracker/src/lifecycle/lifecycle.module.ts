import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ClicksModule } from '../clicks';
import { AuditLogController } from './audit-log.controller';
import { CatalogLifecycle } from './catalog-lifecycle';

/** The lifecycle every catalog item shares (pause, archive, delete, clone, bulk, tags) and the audit log. */
@Module({ imports: [AccessModule, ClicksModule], providers: [CatalogLifecycle], controllers: [AuditLogController], exports: [CatalogLifecycle] })
export class LifecycleModule {}
