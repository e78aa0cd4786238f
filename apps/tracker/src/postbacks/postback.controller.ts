import { Controller, Get, Param, Post, Req, Res } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ClientIpResolver } from '../http/client-ip';
import { arrivedPostbackOf } from '../http/postback-request';
import { PostbackService } from './postback.service';

/**
 * `/postback` speaks the generic format; `/postback/:network` hands the request to that network's adapter.
 * The service resolves the network, runs its guards (IP allowlist, API key, signature) before it reads
 * anything, then parses and records.
 */
@Controller('postback')
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

  private async handle(networkRef: string | undefined, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const result = await this.postbacks.handle(networkRef, arrivedPostbackOf(req, this.clientIp.of(req)));
    void reply.status(result.status).header('content-type', result.contentType).header('cache-control', 'no-store').send(result.body);
  }
}
