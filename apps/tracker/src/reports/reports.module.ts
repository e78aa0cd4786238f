import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ReconciliationController } from './reconciliation.controller';
import { ReportGate } from './report-gate';
import { ReportsController } from './reports.controller';
import { SubColumnLabels } from './sub-column-labels';
import { SubPairCompactor } from './sub-pair-compactor';
import { SubValueCompactor } from './sub-value-compactor';

/** The stats report (JSON or CSV), the pixel/S2S reconciliation, and the jobs that fill the sub-id value and pair rollups. */
@Module({
  imports: [AccessModule],
  controllers: [ReportsController, ReconciliationController],
  providers: [SubColumnLabels, ReportGate, SubValueCompactor, SubPairCompactor],
  exports: [SubValueCompactor, SubPairCompactor],
})
export class ReportsModule {}
