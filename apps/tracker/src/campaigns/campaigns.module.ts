import { Module } from '@nestjs/common';
import { AccessModule } from '../access/access.module';
import { ClicksModule } from '../clicks';
import { CampaignCostsController } from './campaign-costs.controller';
import { CampaignsController } from './campaigns.controller';

/** Campaigns (traffic source × offer), their tracking links and their cost corrections. */
@Module({ imports: [AccessModule, ClicksModule], controllers: [CampaignsController, CampaignCostsController] })
export class CampaignsModule {}
