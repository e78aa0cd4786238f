import { DynamicModule, Module, type Type } from '@nestjs/common';
import { APP_FILTER } from '@nestjs/core';
import { PassportModule } from '@nestjs/passport';
import type { PostwireConfig } from '@postwire/config';
import { AlertRepository, type SqlClient } from '@postwire/persistence';
import { ConfigModule, DatabaseModule, MetricsModule, POSTWIRE_CONFIG, QueueModule, SQL_CLIENT } from '@postwire/runtime';
import { ActivityController } from './admin/activity.controller';
import { AlertsController } from './admin/alerts.controller';
import { ConversionTraceController } from './admin/conversion-trace.controller';
import { TestDeliveryController } from './admin/test-delivery.controller';
import { TestPostbackController } from './admin/test-postback.controller';
import { ApiKeysController } from './admin/api-keys.controller';
import { CampaignsController } from './admin/campaigns.controller';
import { DeliveryResender } from './admin/delivery-resender';
import { NetworkCredentialsController } from './admin/network-credentials.controller';
import { NetworksController } from './admin/networks.controller';
import { OffersController } from './admin/offers.controller';
import { TrafficSourcesController } from './admin/traffic-sources.controller';
import { AdminAuthFailures } from './auth/admin-auth-failures';
import { AdminKeyBootstrap } from './auth/admin-key.bootstrap';
import { AdminKeyStrategy } from './auth/admin-key.strategy';
import { AuthController } from './auth/auth.controller';
import { FirstAdminBootstrap } from './auth/first-admin.bootstrap';
import { LocalStrategy } from './auth/local.strategy';
import { SessionStrategy } from './auth/session.strategy';
import { Sessions } from './auth/sessions';
import { SignInThrottle } from './auth/sign-in-throttle';
import { UsersController } from './auth/users.controller';
import { CampaignRoutes } from './clicks/campaign-routes';
import { ClickController } from './clicks/click.controller';
import { ConversionExport } from './admin/conversion-export';
import { ReportsController } from './admin/reports.controller';
import { ClickEnricher } from './clicks/click-enricher';
import { CLICK_SINK, ClickWriter } from './clicks/click-writer';
import { JournalingClickSink } from './clicks/journaling-click-sink';
import { ClickService } from './clicks/click.service';
import { HealthController } from './health/health.controller';
import { guardProviders } from './guards';
import { ErrorFilter } from './http/error.filter';
import { MetricsController } from './ops/metrics.controller';
import { OperatorAuth } from './ops/operator-auth';
import { QueueBoard } from './ops/queue-board';
import { OPENAPI_CONTROLLERS, OpenApiController } from './openapi/openapi.controller';
import { ConversionIntake } from './conversions/conversion-intake';
import { PixelController } from './pixel/pixel.controller';
import { PixelService } from './pixel/pixel.service';
import { PluginRegistry } from './plugins/plugin-registry';
import { PostbackController } from './postbacks/postback.controller';
import { PostbackService } from './postbacks/postback.service';

/** Every controller of the tracker; the OpenAPI document describes their `/api` routes. */
export const TRACKER_CONTROLLERS: Type[] = [
  ClickController,
  PostbackController,
  PixelController,
  NetworksController,
  OffersController,
  TrafficSourcesController,
  CampaignsController,
  ActivityController,
  AlertsController,
  ConversionTraceController,
  TestPostbackController,
  TestDeliveryController,
  ReportsController,
  AuthController,
  UsersController,
  HealthController,
  MetricsController,
  ApiKeysController,
  NetworkCredentialsController,
  OpenApiController,
];

/** The HTTP side: clicks, postbacks, admin API, health. Thin: the logic lives in libs/. */
@Module({})
export class TrackerModule {
  /** `withInfrastructure: false` when composed into an app that already provides config, database and queue. */
  static forRoot(config: PostwireConfig, options: { withInfrastructure?: boolean } = {}): DynamicModule {
    const infrastructure = options.withInfrastructure === false ? [] : [ConfigModule.forRoot(config), DatabaseModule.forRoot(), QueueModule.forRoot()];
    return {
      module: TrackerModule,
      imports: [...infrastructure, PassportModule, MetricsModule],
      controllers: TRACKER_CONTROLLERS,
      providers: [
        { provide: OPENAPI_CONTROLLERS, useValue: TRACKER_CONTROLLERS },
        { provide: PluginRegistry, inject: [POSTWIRE_CONFIG], useFactory: (c: PostwireConfig) => PluginRegistry.load({ external: c.plugins }) },
        { provide: APP_FILTER, useClass: ErrorFilter },
        { provide: AlertRepository, inject: [SQL_CLIENT], useFactory: (db: SqlClient) => new AlertRepository(db) },
        ClickService,
        CampaignRoutes,
        ClickWriter,
        JournalingClickSink,
        { provide: CLICK_SINK, useExisting: JournalingClickSink },
        ClickEnricher,
        ConversionExport,
        ConversionIntake,
        PostbackService,
        PixelService,
        AdminKeyStrategy,
        AdminKeyBootstrap,
        AdminAuthFailures,
        FirstAdminBootstrap,
        Sessions,
        SessionStrategy,
        LocalStrategy,
        SignInThrottle,
        DeliveryResender,
        OperatorAuth,
        QueueBoard,
        ...guardProviders,
      ],
    };
  }
}
