import { Module } from '@nestjs/common';
import { MetricsModule } from '@postwire/runtime';
import { AccessModule } from '../access/access.module';
import { MetricsController } from './metrics.controller';
import { OperatorAuth } from './operator-auth';
import { QueueBoard } from './queue-board';

/** For operators: Prometheus `/metrics` and the queue board, behind an admin or read API key. */
@Module({ imports: [AccessModule, MetricsModule], controllers: [MetricsController], providers: [OperatorAuth, QueueBoard] })
export class OpsModule {}
