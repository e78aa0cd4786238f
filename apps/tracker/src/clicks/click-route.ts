import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { ClientIpResolver } from '../http/client-ip';
import { sendError } from '../http/error.filter';
import { singleValuedParams } from '../http/request-params';
import { clickCookie, clickIdFromCookie } from './click-cookie';
import { ClickService } from './click.service';

/** The click link. Its path is public: every campaign link ever handed out names it. */
export const CLICK_ROUTE = '/c/:campaignId';

type ClickRequest = FastifyRequest<{ Params: { campaignId: string } }>;

/**
 * `GET /c/:campaignId` (and the `HEAD` Fastify answers with it): the click, written by group
 * commit, then the 302. It is a plain Fastify route rather than a Nest controller: the click is the
 * one request every visitor makes, and Nest's per-request pipeline (execution context, guards,
 * interceptors, pipes, parameter decorators: none of which it uses) cost a few microseconds of it.
 * Everything a request meets before its handler is Fastify's and stays the same: the per-address
 * rate limit, the input guard (its 400s naming the parameter), the security headers. Refusals go
 * through {@link sendError}, the one function the Nest routes' error filter uses too.
 */
@Injectable()
export class ClickRoute implements OnModuleInit {
  private readonly logger = new Logger('HTTP');

  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly clicks: ClickService,
    private readonly clientIp: ClientIpResolver,
  ) {}

  /** Runs while the app initialises, before Fastify is ready: its hooks bind to this route as to every other. */
  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter.getInstance<FastifyInstance>();
    fastify.get<{ Params: { campaignId: string } }>(CLICK_ROUTE, (req, reply) =>
      this.answer(req, reply).catch((error: unknown) => sendError(reply, error, this.logger)),
    );
  }

  private async answer(req: ClickRequest, reply: FastifyReply): Promise<void> {
    const { campaignId } = req.params;
    // Fastify answers HEAD with this GET route; HEAD must change nothing, so no click is made.
    if (req.method === 'HEAD') {
      singleValuedParams(req.query);
      const preview = await this.clicks.preview(campaignId);
      if (!preview) throw unknownCampaign(campaignId);
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
    if (!result) throw unknownCampaign(campaignId);
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

function unknownCampaign(campaignId: string): ApiError {
  return new ApiError('unknown_campaign', `No campaign with id "${campaignId.slice(0, 64)}". Check the campaign link.`);
}

/** A paused campaign with no fallback URL of its own and no PAUSED_CAMPAIGN_URL: the click is stored, the visitor sees a 404. */
function pausedWithoutFallback(): ApiError {
  return new ApiError('campaign_paused', 'This campaign is paused.');
}
