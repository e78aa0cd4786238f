import { DynamicModule, Module, type Type } from '@nestjs/common';
import { MODULE_METADATA } from '@nestjs/common/constants';
import { APP_FILTER } from '@nestjs/core';
import type { PostwireConfig } from '@postwire/config';
import { ConfigModule, DatabaseModule, QueueModule } from '@postwire/runtime';
import { AlertsModule } from './alerts/alerts.module';
import { AuthModule } from './auth/auth.module';
import { CampaignsModule } from './campaigns/campaigns.module';
import { ClicksModule } from './clicks';
import { ConversionsModule } from './conversions';
import { CurrencyRatesModule } from './currency-rates/currency-rates.module';
import { DeliveriesModule } from './deliveries/deliveries.module';
import { ForwardingTargetsModule } from './forwarding-targets/forwarding-targets.module';
import { FraudModule } from './fraud';
import { HealthModule } from './health/health.module';
import { LifecycleModule } from './lifecycle';
import { ErrorFilter } from './http/error.filter';
import { NetworksModule } from './networks';
import { OffersModule } from './offers/offers.module';
import { OpenApiModule } from './openapi/openapi.module';
import { OpenApiController } from './openapi/openapi.controller';
import { OpsModule } from './ops/ops.module';
import { PixelModule } from './pixel/pixel.module';
import { PostbackLogModule } from './postback-log/postback-log.module';
import { PostbacksModule } from './postbacks/postbacks.module';
import { ReportsModule } from './reports';
import { SavedReportsModule } from './saved-reports/saved-reports.module';
import { TrafficSourcesModule } from './traffic-sources/traffic-sources.module';

/** Every feature of the tracker, one Nest module each (ARCHITECTURE.md, "Feature map"). */
const FEATURE_MODULES: Type[] = [
  ClicksModule,
  PostbacksModule,
  PixelModule,
  HealthModule,
  OpsModule,
  AuthModule,
  NetworksModule,
  OffersModule,
  TrafficSourcesModule,
  ForwardingTargetsModule,
  CampaignsModule,
  ReportsModule,
  CurrencyRatesModule,
  ConversionsModule,
  DeliveriesModule,
  PostbackLogModule,
  AlertsModule,
  LifecycleModule,
  SavedReportsModule,
  FraudModule,
];

/** Every controller of the tracker, read from the feature modules; the OpenAPI document describes their `/api` routes. */
export const TRACKER_CONTROLLERS: Type[] = [
  ...FEATURE_MODULES.flatMap((feature) => (Reflect.getMetadata(MODULE_METADATA.CONTROLLERS, feature) as Type[] | undefined) ?? []),
  OpenApiController,
];

/** The HTTP side: clicks, postbacks, admin API, health. It only composes the feature modules; the logic lives in libs/. */
@Module({})
export class TrackerModule {
  /** `withInfrastructure: false` when composed into an app that already provides config, database and queue. */
  static forRoot(config: PostwireConfig, options: { withInfrastructure?: boolean } = {}): DynamicModule {
    const infrastructure = options.withInfrastructure === false ? [] : [ConfigModule.forRoot(config), DatabaseModule.forRoot(), QueueModule.forRoot()];
    return {
      module: TrackerModule,
      imports: [...infrastructure, ...FEATURE_MODULES, OpenApiModule.describing(TRACKER_CONTROLLERS)],
      providers: [{ provide: APP_FILTER, useClass: ErrorFilter }],
    };
  }
}
