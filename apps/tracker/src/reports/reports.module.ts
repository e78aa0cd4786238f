import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ReconciliationController } from './reconciliation.controller';
import { ReportGate } from './report-gate';
import { ReportsController } from './reports.controller';

/** The stats report (JSON or CSV) and the pixel/S2S reconciliation. */
@Module({ imports: [AccessModule], controllers: [ReportsController, ReconciliationController], providers: [ReportGate] })
export class ReportsModule {}
