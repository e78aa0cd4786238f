import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { LifecycleModule } from '../lifecycle';
import { PluginsModule } from '../plugins/plugins.module';
import { AsnPreload } from './asn-preload';
import { FraudPlugins } from './fraud-plugins';
import { FraudController } from './fraud.controller';
import { HoldExpiry } from './hold-expiry';
import { RescoreController } from './rescore/rescore.controller';
import { RescoreRunner } from './rescore/rescore-runner';

/** Fraud: campaigns' and offers' policies, the review queue of held conversions, hold expiry, re-scoring, scorer plugins (docs/fraud.md). */
@Module({
  imports: [AccessModule, LifecycleModule, PluginsModule],
  controllers: [FraudController, RescoreController],
  providers: [HoldExpiry, AsnPreload, FraudPlugins, RescoreRunner],
  exports: [HoldExpiry, FraudPlugins],
})
export class FraudModule {}
