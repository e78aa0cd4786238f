import { Controller, Get, Param, Req, Res, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { ClientIpResolver } from '../http/client-ip';
import { singleValuedParams } from '../http/request-params';
import { clickCookie, clickIdFromCookie } from './click-cookie';
import { ClickWriter } from './click-writer';
import { ClickService } from './click.service';

/** Paths whose handlers look clicks up (postbacks, the pixel): they must see every click this process has answered. */
const READS_CLICKS = /^\/(?:postback(?:[/?]|$)|pixel\.gif)/;

@Controller('c')
export class ClickController implements OnModuleInit {
  constructor(
    private readonly clicks: ClickService,
    private readonly clientIp: ClientIpResolver,
    private readonly writer: ClickWriter,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  /**
   * Clicks are stored a few ms after their redirect (ClickWriter); a postback or pixel for one of
   * them may be quicker. Before such a request's guards and handler run (the guard looks the click
   * up too), whatever this process still buffers is stored: a no-op when nothing is buffered, the
   * usual case. Other processes' buffered clicks are the re-attribution sweeper's job.
   */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return;
    fastify.addHook('preHandler', (req, _reply, done) => {
      const stored = this.writer.buffered > 0 && READS_CLICKS.test(req.url) ? this.writer.settle() : undefined;
      if (stored) void stored.then(() => done());
      else done();
    });
  }

  @Get(':campaignId')
  async click(@Param('campaignId') campaignId: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    const result = await this.clicks.click({
      campaignId,
      params: singleValuedParams(req.query),
      ip: this.clientIp.of(req),
      userAgent: req.headers['user-agent'],
      referer: req.headers.referer,
      cookieClickId: clickIdFromCookie(req.headers.cookie),
    });
    if (!result) throw new ApiError(404, 'unknown_campaign', `No campaign with id "${campaignId.slice(0, 64)}". Check the campaign link.`);
    // The redirect must not be cached: every visit is its own click with its own id. The cookie
    // lets /pixel.gif find the click when the advertiser's page cannot pass the click id.
    void reply
      .header('cache-control', 'no-store')
      .header('set-cookie', clickCookie(result.clickId, req.protocol === 'https'))
      .redirect(result.location, 302);
  }
}
