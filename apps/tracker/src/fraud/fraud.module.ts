import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { LifecycleModule } from '../lifecycle';
import { AsnPreload } from './asn-preload';
import { FraudController } from './fraud.controller';
import { HoldExpiry } from './hold-expiry';

/** Fraud: campaigns' and offers' policies, the review queue of held conversions, hold expiry (docs/fraud.md). */
@Module({
  imports: [AccessModule, LifecycleModule],
  controllers: [FraudController],
  providers: [HoldExpiry, AsnPreload],
  exports: [HoldExpiry],
})
export class FraudModule {}
