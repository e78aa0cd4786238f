import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AlertsController } from './alerts.controller';

/** Alerts computed on read: failing traffic sources, silent networks, rising unattributed postbacks. */
@Module({ imports: [AccessModule], controllers: [AlertsController] })
export class AlertsModule {}
