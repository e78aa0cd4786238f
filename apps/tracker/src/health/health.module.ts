import { Module } from '@nestjs/common';
import { HealthController } from './health.controller';

/** `GET /health`: database and queue reachability. */
@Module({ controllers: [HealthController] })
export class HealthModule {}
