import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ClicksModule } from '../clicks';
import { catalogLifecycleController, LifecycleModule } from '../lifecycle';
import { CampaignCostsController } from './campaign-costs.controller';
import { CampaignsController } from './campaigns.controller';

/** Campaigns (traffic source × offer), their tracking links, their cost corrections and their lifecycle. */
@Module({
  imports: [AccessModule, ClicksModule, LifecycleModule],
  controllers: [CampaignsController, catalogLifecycleController({ kind: 'campaign', path: 'api/campaigns', tag: 'campaigns' }), CampaignCostsController],
})
export class CampaignsModule {}
