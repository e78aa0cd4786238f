import { Module } from '@nestjs/common';
import { GuardsModule } from '../guards/guards.module';
import { CampaignRoutes } from './campaign-routes';
import { ClickEnricher } from './click-enricher';
import { ClickScorerPlugins } from './click-scorer-plugins';
import { ClickVelocityStep } from './click-velocity';
import { CLICK_SINK, ClickWriter } from './click-writer';
import { ClickRoute } from './click-route';
import { ClickService } from './click.service';
import { JournalingClickSink } from './journaling-click-sink';

/** `GET /c/:campaignId` (a plain Fastify route, click-route.ts): the click, written by group commit, then the 302. Exports the campaign cache campaigns/ invalidates. */
@Module({
  imports: [GuardsModule],
  providers: [
    ClickRoute,
    ClickService,
    CampaignRoutes,
    ClickWriter,
    ClickEnricher,
    ClickVelocityStep,
    ClickScorerPlugins,
    JournalingClickSink,
    { provide: CLICK_SINK, useExisting: JournalingClickSink },
  ],
  exports: [CampaignRoutes, JournalingClickSink],
})
export class ClicksModule {}
