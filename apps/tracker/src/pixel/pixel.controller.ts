import { Controller, Get, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { clickIdFromCookie } from '../clicks';
import { ClientIpResolver } from '../http/client-ip';
import { singleValuedParams } from '../http/request-params';
import { PixelService } from './pixel.service';

/** A 1×1 transparent GIF. */
export const TRANSPARENT_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

@Controller()
export class PixelController {
  constructor(
    private readonly pixels: PixelService,
    private readonly clientIp: ClientIpResolver,
  ) {}

  /** `GET /pixel.gif?click_id=&goal=&payout=&txid=`: always a 1×1 GIF, whatever the parameters. `HEAD` records nothing. */
  @Get('pixel.gif')
  async pixel(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    let params: Record<string, string> = {};
    try {
      params = singleValuedParams(req.query);
    } catch {
      params = {};
    }
    // Fastify answers HEAD with this GET route; a HEAD (link checker, prefetch) changes nothing.
    if (req.method !== 'HEAD' && (Object.keys(params).length || req.headers.cookie)) {
      await this.pixels.record(params, clickIdFromCookie(req.headers.cookie), this.clientIp.of(req));
    }
    void reply
      .header('content-type', 'image/gif')
      .header('cache-control', 'no-store, max-age=0')
      .header('content-length', TRANSPARENT_GIF.length)
      .send(TRANSPARENT_GIF);
  }
}
