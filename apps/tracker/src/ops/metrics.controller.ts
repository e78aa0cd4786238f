import { Controller, Get, Req, Res } from '@nestjs/common';
import { ForwardingMetrics } from '@postwire/runtime';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError } from '../http/api-error';
import { OperatorAuth } from './operator-auth';

/**
 * `GET /metrics` in Prometheus' text format, behind an admin or read key (Bearer or Basic
 * password): the tracker faces the internet, and the metrics name traffic sources and volumes.
 * For an unauthenticated scrape on a private interface, set METRICS_PORT.
 */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: ForwardingMetrics,
    private readonly auth: OperatorAuth,
  ) {}

  @Get()
  async scrape(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    if (!(await this.auth.authenticate(req.headers))) {
      throw new ApiError('invalid_api_key', 'Metrics need an admin or read API key: "Authorization: Bearer <key>", or as the password of Basic auth.');
    }
    const { contentType, body } = await this.metrics.render();
    void reply.status(200).header('content-type', contentType).header('cache-control', 'no-store').send(body);
  }
}
