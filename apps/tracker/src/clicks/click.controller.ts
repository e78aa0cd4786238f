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
    // The redirect must not be cached: every visit is its own click with its own id. The cookie
    // lets /pixel.gif find the click when the advertiser's page cannot pass the click id.
    void reply
      .header('cache-control', 'no-store')
      .header('set-cookie', clickCookie(result.clickId, req.protocol === 'https'))
      .redirect(result.location, 302);
  }
}
