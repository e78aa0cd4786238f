import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import { InjectQueue } from '@nestjs/bullmq';
import { Injectable, OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { DELIVERY_QUEUE_NAME } from '@postwire/runtime';
import type { Queue } from 'bullmq';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { OperatorAuth } from './operator-auth';
import type { ErrorBody } from '../http/error-codes';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * bull-board, the operators' view of the delivery queue, at `/admin/queues`, for admin keys only
 * (it can retry, promote and delete jobs). The queue is only the schedule: a job deleted here is
 * put back by the sweeper while its delivery is pending in Postgres.
 */
@Injectable()
export class QueueBoard implements OnModuleInit {
  constructor(
    private readonly adapterHost: HttpAdapterHost,
    private readonly auth: OperatorAuth,
    @InjectQueue(DELIVERY_QUEUE_NAME) private readonly queue: Queue,
  ) {}

  onModuleInit(): void {
    const fastify = this.adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (!fastify) return; // an application context without HTTP (tests of the module graph)
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(QUEUE_BOARD_PATH);
    createBullBoard({ queues: [new BullMQAdapter(this.queue)], serverAdapter, options: { uiConfig: { boardTitle: 'Postwire' } } });
    // The hook and the board share one encapsulated scope, so the hook guards the board's routes and nothing else.
    void fastify.register(async (scope) => {
      scope.addHook('onRequest', (req, reply) => this.guard(req, reply));
      await scope.register(serverAdapter.registerPlugin(), { prefix: QUEUE_BOARD_PATH });
    });
  }

  private async guard(req: FastifyRequest, reply: FastifyReply): Promise<void> {
    const key = await this.auth.authenticate(req.headers);
    if (key?.scope === 'admin') return;
    await reply
      .status(key ? 403 : 401)
      .header('www-authenticate', 'Basic realm="Postwire queues", charset="UTF-8"')
      .header('content-type', 'application/json; charset=utf-8')
      .send(
        JSON.stringify(
          key
            ? ({ error: 'insufficient_scope', message: 'The queue board needs an admin key.' } satisfies ErrorBody)
            : ({ error: 'invalid_api_key', message: 'Sign in with any user name and an admin API key as the password.' } satisfies ErrorBody),
        ),
      );
  }
}
