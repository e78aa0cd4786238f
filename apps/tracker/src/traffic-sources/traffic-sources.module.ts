import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { CampaignForwardingRulesController } from './campaign-forwarding-rules.controller';
import { ForwardingPreviewController } from './forwarding-preview.controller';
import { TestDeliveryController } from './test-delivery.controller';
import { TrafficSourcesController } from './traffic-sources.controller';

/** Traffic sources: where conversions are forwarded, how (and each campaign's override), their signing secrets, the rules preview and the test delivery. */
@Module({
  imports: [AccessModule],
  controllers: [TrafficSourcesController, TestDeliveryController, CampaignForwardingRulesController, ForwardingPreviewController],
})
export class TrafficSourcesModule {}
