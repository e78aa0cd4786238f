import { Controller, Get, Param, Post, Req, Res, UseGuards } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PostbackGuard } from '../guards/postback.guard';
import { ClientIpResolver } from '../http/client-ip';
import { GuardedNetwork } from '../http/guarded-network';
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
  async genericGet(@GuardedNetwork() guarded: GuardedNetwork, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.handle(undefined, guarded, req, reply);
  }

  @Post()
  async genericPost(@GuardedNetwork() guarded: GuardedNetwork, @Req() req: FastifyRequest, @Res() reply: FastifyReply): Promise<void> {
    await this.handle(undefined, guarded, req, reply);
  }

  @Get(':network')
  async networkGet(
    @Param('network') network: string,
    @GuardedNetwork() guarded: GuardedNetwork,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.handle(network, guarded, req, reply);
  }

  @Post(':network')
  async networkPost(
    @Param('network') network: string,
    @GuardedNetwork() guarded: GuardedNetwork,
    @Req() req: FastifyRequest,
    @Res() reply: FastifyReply,
  ): Promise<void> {
    await this.handle(network, guarded, req, reply);
  }

  private async handle(networkRef: string | undefined, guarded: GuardedNetwork, req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const ip = this.clientIp.of(req);
    const result = await this.postbacks.handle(networkRef, guarded, (limits) => readPostbackRequest(req, ip, limits));
    void reply.status(result.status).header('content-type', result.contentType).header('cache-control', 'no-store').send(result.body);
  }
}
