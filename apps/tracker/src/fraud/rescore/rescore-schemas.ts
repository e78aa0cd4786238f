import { FRAUD_VERDICTS, RESCORE_LIMITS } from '@postwire/core';
import { z } from 'zod';
import { id, isoDateTime } from '../../schemas/fields';
import { decimal, timestamp, view } from '../../schemas/views';

const DAY = 86_400_000;

/**
 * `POST /api/fraud/rescore`: a range of event times (`from` inclusive, `to` exclusive, at most
 * {@link RESCORE_LIMITS.maxRangeDays} days), optionally one campaign or one offer's campaigns.
 * `dryRun` (the default) only tells what would change; `sendStatusUpdates` declines newly rejected
 * conversions that were already forwarded, telling their sources.
 */
export const rescoreBody = z
  .object({
    from: isoDateTime,
    to: isoDateTime,
    campaignId: id.optional(),
    offerId: id.optional(),
    dryRun: z.boolean().default(true),
    sendStatusUpdates: z.boolean().default(false),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.to.getTime() <= body.from.getTime()) ctx.addIssue({ code: 'custom', path: ['to'], message: 'must be after from' });
    else if (body.to.getTime() - body.from.getTime() > RESCORE_LIMITS.maxRangeDays * DAY)
      ctx.addIssue({
        code: 'custom',
        path: ['to'],
        message: `must be at most ${RESCORE_LIMITS.maxRangeDays} days after from (re-score a longer period in several runs)`,
      });
    if (body.campaignId !== undefined && body.offerId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['offerId'], message: 'give a campaignId or an offerId, not both' });
    if (body.dryRun && body.sendStatusUpdates)
      ctx.addIssue({ code: 'custom', path: ['sendStatusUpdates'], message: 'a dry run sends nothing: leave it out or apply' });
  });

const side = view({ score: z.number(), verdict: z.enum(FRAUD_VERDICTS), reasons: z.array(z.string()) });

const summary = view({
  clicks: view({ scanned: z.number(), changed: z.number(), newlySuspicious: z.number(), noLongerSuspicious: z.number() }),
  conversions: view({
    scanned: z.number(),
    changed: z.number(),
    newlyFlagged: z.number(),
    unflagged: z.number(),
    newlyHeld: z.number(),
    newlyRejected: z.number(),
    released: z.number(),
    declinedWithStatusUpdate: z.number(),
    keptForwarded: z.number(),
    keptDecided: z.number(),
  }),
  payout: view({
    currency: z.string(),
    newlyHeld: decimal,
    newlyRejected: decimal,
    released: decimal,
    declinedWithStatusUpdate: decimal,
    unconverted: z.array(view({ currency: z.string(), amount: decimal })),
  }),
  sample: z.array(
    view({
      conversionId: z.string(),
      campaignId: z.string(),
      action: z.enum(['unchanged', 'rescored', 'hold', 'reject', 'release', 'decline_forwarded', 'kept_forwarded', 'kept_decided']),
      payout: decimal.nullable(),
      currency: z.string(),
      before: side,
      after: side,
    }),
  ),
  notes: z.array(z.string()),
});

/** A re-score run: what it covers, how far it got, and what it found (dry run) or did. */
export const rescoreRunView = view({
  runId: z.string(),
  state: z.enum(['running', 'done', 'failed']),
  dryRun: z.boolean(),
  sendStatusUpdates: z.boolean(),
  from: timestamp,
  to: timestamp,
  campaignId: z.string().nullable(),
  offerId: z.string().nullable(),
  requestedBy: z.string(),
  startedAt: timestamp,
  finishedAt: timestamp.nullable(),
  error: z.string().nullable(),
  /** Deliveries queued by releases and status updates (applied runs). */
  deliveriesQueued: z.number(),
  summary,
});
