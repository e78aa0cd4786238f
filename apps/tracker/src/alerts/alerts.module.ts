import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { AlertDispatcher } from './alert-dispatcher';
import { AlertSender } from './alert-sender';
import { AlertWebhooksController } from './alert-webhooks.controller';
import { AlertsController } from './alerts.controller';
import { CurrentAlerts } from './current-alerts';

/** Alerts computed on read (failing sources, silent networks, rising trouble postbacks, conversion-rate drops), and the webhooks they are sent to. */
@Module({ imports: [AccessModule], controllers: [AlertsController, AlertWebhooksController], providers: [CurrentAlerts, AlertSender, AlertDispatcher] })
export class AlertsModule {}
