import { Module } from '@nestjs/common';
import { ClicksModule } from '../clicks';
import { HealthController } from './health.controller';

/** `GET /health`: database and queue reachability. */
@Module({ imports: [ClicksModule], controllers: [HealthController] })
export class HealthModule {}
