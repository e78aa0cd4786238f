import { Controller, Get, HttpCode, Param, Post, Res, UseGuards } from '@nestjs/common';
import { FraudRescoreRepository, type RescoreProgress, type RescoreRunRow } from '@postwire/persistence';
import type { FastifyReply } from 'fastify';
import { z } from 'zod';
import { Access, type AccessScope } from '../../access/access-scope';
import { AdminAuthGuard } from '../../access/admin-auth.guard';
import { ApiError } from '../../http/api-error';
import { ApiRoute, Valid } from '../../openapi/api-route.decorator';
import { RescoreRunner } from './rescore-runner';
import { rescoreBody, rescoreRunView } from './rescore-schemas';

/** How long the request waits for a run before answering 202 with its progress: a small dry run answers at once. */
const ANSWER_WITHIN_MS = 5000;

/** Re-scoring past traffic under today's policies: dry run or apply, run in the background (docs/fraud.md#re-scoring). */
@Controller('api/fraud/rescore')
@UseGuards(AdminAuthGuard)
export class RescoreController {
  constructor(
    private readonly runner: RescoreRunner,
    private readonly runs: FraudRescoreRepository,
  ) {}

  /**
   * Starts a re-score run. Answers 200 with the result when it is over within a few seconds, else 202 with
   * its progress: poll `GET /api/fraud/rescore/:runId`.
   */
  @ApiRoute({ summary: 'Re-score a date range (dry run by default)', tag: 'fraud', body: rescoreBody, response: rescoreRunView })
  @Post()
  @HttpCode(200)
  async start(@Valid('body') body: z.output<typeof rescoreBody>, @Access() scope: AccessScope, @Res({ passthrough: true }) reply: FastifyReply) {
    if (scope.allowedCampaignIds !== null) throw new ApiError('forbidden', 're-scoring is for staff');
    const started = await this.runner.start(body, scope.actor, scope.actor.label ?? scope.actor.id ?? scope.actor.type);
    if (!started) throw body.campaignId !== undefined ? ApiError.notFound('campaign') : ApiError.notFound('offer');
    let timer: NodeJS.Timeout | undefined;
    const finished = await Promise.race([
      started.done.then(() => true),
      new Promise<false>((resolve) => {
        timer = setTimeout(() => resolve(false), ANSWER_WITHIN_MS);
      }),
    ]);
    clearTimeout(timer);
    if (!finished) void reply.status(202);
    return view((await this.runs.getRun(started.runId))!);
  }

  @ApiRoute({ summary: "A re-score run's progress or result", tag: 'fraud', response: rescoreRunView })
  @Get(':runId')
  async run(@Param('runId') runId: string) {
    const run = await this.runs.getRun(runId);
    if (!run) throw ApiError.notFound('re-score run');
    return view(run);
  }
}

function view(run: RescoreRunRow) {
  const progress = run.progress as RescoreProgress;
  return {
    runId: run.id,
    state: run.state,
    dryRun: run.dryRun,
    sendStatusUpdates: run.sendStatusUpdates,
    from: run.from,
    to: run.to,
    campaignId: run.campaignId,
    offerId: run.offerId,
    requestedBy: run.requestedBy,
    startedAt: run.startedAt,
    finishedAt: run.finishedAt,
    error: run.error,
    deliveriesQueued: progress.deliveriesQueued,
    summary: progress.summary,
  };
}
