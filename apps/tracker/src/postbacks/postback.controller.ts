import { Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PostbackGuard } from '../guards/postback.guard';
import { ClientIpResolver } from '../http/client-ip';
import { readPostbackRequest } from '../http/postback-request';
import { PostbackService } from './postback.service';

/** `/postback` speaks the generic format; `/postback/:network` hands the request to that network's adapter. */
@Controller('postback')
// The network's guards (IP allowlist, API key, signature) run before the handler reads anything.
@UseGuards(PostbackGuard)
export class PostbackController {
  constructor(
    private readonly postbacks: PostbackService,
    private readonly clientIp: ClientIpResolver,
  ) {}

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
    const ip = this.clientIp.of(req);
    const result = await this.postbacks.handle(network, (limits) => readPostbackRequest(req, ip, limits));
    void reply.status(result.status).header('content-type', result.contentType).header('cache-control', 'no-store').send(result.body);
  }
}
