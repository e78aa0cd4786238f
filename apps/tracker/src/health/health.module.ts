import { Module } from '@nestjs/common';
import { ClicksModule } from '../clicks';
import { ReportsModule } from '../reports';
import { HealthController } from './health.controller';

/** `GET /health`: database and queue reachability. */
@Module({ imports: [ClicksModule, ReportsModule], controllers: [HealthController] })
export class HealthModule {}
