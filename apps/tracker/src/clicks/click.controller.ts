import { Controller, Get, Param, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { ClientIpResolver } from '../http/client-ip';
import { singleValuedParams } from '../http/request-params';
import { clickCookie, clickIdFromCookie } from './click-cookie';
import { ClickService } from './click.service';

@Controller('c')
export class ClickController {
  constructor(
    private readonly clicks: ClickService,
    private readonly clientIp: ClientIpResolver,
  ) {}

  @Get(':campaignId')
  async click(@Param('campaignId') campaignId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    // Fastify answers HEAD with this GET route; HEAD must change nothing, so no click is made.
    if (req.method === 'HEAD') {
      singleValuedParams(req.query);
      const preview = await this.clicks.preview(campaignId);
      if (!preview) throw new ApiError('unknown_campaign', `No campaign with id "${campaignId.slice(0, 64)}". Check the campaign link.`);
      if (preview.location === null) throw pausedWithoutFallback();
      void reply.header('cache-control', 'no-store').redirect(preview.location, 302);
      return;
    }
    const result = await this.clicks.click({
      campaignId,
      params: singleValuedParams(req.query),
      ip: this.clientIp.of(req),
      userAgent: req.headers['user-agent'],
      referer: req.headers.referer,
      cookieClickId: clickIdFromCookie(req.headers.cookie),
    });
    if (!result) throw new ApiError('unknown_campaign', `No campaign with id "${campaignId.slice(0, 64)}". Check the campaign link.`);
    if (result.location === null) throw pausedWithoutFallback();
    // No click cookie for a paused campaign's click: a later pixel must not be credited to it.
    if (result.paused) {
      void reply.header('cache-control', 'no-store').redirect(result.location, 302);
      return;
    }
    // The redirect must not be cached: every visit is its own click with its own id. The cookie
    // lets /pixel.gif find the click when the advertiser's page cannot pass the click id.
    void reply
      .header('cache-control', 'no-store')
      .header('set-cookie', clickCookie(result.clickId, req.protocol === 'https'))
      .redirect(result.location, 302);
  }
}

/** A paused campaign with no fallback URL of its own and no PAUSED_CAMPAIGN_URL: the click is stored, the visitor sees a 404. */
function pausedWithoutFallback(): ApiError {
  return new ApiError('campaign_paused', 'This campaign is paused.');
}
