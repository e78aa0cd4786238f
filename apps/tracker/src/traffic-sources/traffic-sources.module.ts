import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { catalogLifecycleController, LifecycleModule } from '../lifecycle';
import { CampaignForwardingRulesController } from './campaign-forwarding-rules.controller';
import { ForwardingPreviewController } from './forwarding-preview.controller';
import { TestDeliveryController } from './test-delivery.controller';
import { TrafficSourcesController } from './traffic-sources.controller';

/** Traffic sources: where conversions are forwarded, how (and each campaign's override), their signing secrets, the rules preview, the test delivery, and their lifecycle. */
@Module({
  imports: [AccessModule, LifecycleModule],
  controllers: [
    TrafficSourcesController,
    catalogLifecycleController({ kind: 'trafficSource', path: 'api/traffic-sources', tag: 'traffic-sources' }),
    TestDeliveryController,
    CampaignForwardingRulesController,
    ForwardingPreviewController,
  ],
})
export class TrafficSourcesModule {}
