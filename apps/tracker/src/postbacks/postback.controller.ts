import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import { buildAdapterRequest } from '@postwire/plugin-sdk';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { singleValuedParams } from '../http/request-params';
import { PostbackService } from './postback.service';

/** `/postback` speaks the generic format; `/postback/:network` hands the request to that network's adapter. */
@Controller('postback')
export class PostbackController {
  constructor(private readonly postbacks: PostbackService) {}

  @Get()
  async genericGet(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.handle(undefined, req, reply);
  }

  @Post()
  async genericPost(@Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.handle(undefined, req, reply);
  }

  @Get(':network')
  async networkGet(@Param('network') network: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.handle(network, req, reply);
  }

  @Post(':network')
  async networkPost(@Param('network') network: string, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.handle(network, req, reply);
  }

  private async handle(network: string | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const query = singleValuedParams(req.query);
    const raw = (req as FastifyRequest & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
    const request = buildAdapterRequest({
      method: req.method === 'POST' ? 'POST' : 'GET',
      path: req.url.split('?')[0],
      query,
      headers: stringHeaders(req.headers),
      contentType: req.headers['content-type'],
      body: raw,
      ip: req.ip,
    });
    // Flat form and JSON bodies pass the same checks as the query string (repeats, lengths, control characters).
    const body = request.body;
    if (body && typeof body === 'object' && !Array.isArray(body)) {
      const hasNested = Object.values(body as Record<string, unknown>).some((v) => v !== null && typeof v === 'object');
      if (!hasNested) singleValuedParams(body);
    }
    const logged: Record<string, unknown> = { ...query };
    if (body && typeof body === 'object') logged.body = body;
    const result = await this.postbacks.handle(network, request, logged);
    void reply.status(result.status).header('content-type', result.contentType).header('cache-control', 'no-store').send(result.body);
  }
}

function stringHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') out[name] = value;
  return out;
}
