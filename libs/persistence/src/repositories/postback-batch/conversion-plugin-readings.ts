import type { SignalReading } from '@postwire/core';
import type { ConversionWrite } from './batch-plan';

/** What the scorer plugins answered on one conversion: their readings, and a note for each that did not answer. */
export interface PluginAnswer {
  readings: SignalReading[];
  notes: string[];
}

/** A click as scorer plugins see it (the SDK's `ScorerClick`). */
interface PluginClick {
  id: string;
  campaignId: string;
  at: Date;
  ip: string | null;
  userAgent: string | null;
  subs: Record<string, string>;
}

/**
 * The installed scorer plugins as the recorder asks them (the runtime's `PluginScoring`, made with
 * `FRAUD_SCORER_INTAKE_TIMEOUT_MS`): concurrently, each cut at the timeout, never rejecting.
 */
export interface IntakeScorers {
  /** No scorer installed: the recorder does not ask at all. */
  readonly empty: boolean;
  scoreConversion(conversion: {
    id: string;
    campaignId: string;
    at: Date;
    goal: string;
    payout: string | null;
    currency: string;
    click: PluginClick;
  }): Promise<PluginAnswer>;
}

/**
 * Asks the scorer plugins about the conversions a batch creates, all at once, before the batch is
 * screened: their readings can hold or reject a conversion like a built-in signal's. Bounded by the
 * scorers' intake timeout (a scorer past it leaves a note instead), so the batch's transaction waits
 * no longer than that.
 */
export async function askScorerPlugins(scorers: IntakeScorers, created: readonly ConversionWrite[], at: Date): Promise<ReadonlyMap<string, PluginAnswer>> {
  const answers = await Promise.all(
    created.map((c) =>
      scorers.scoreConversion({
        id: c.id,
        campaignId: c.ctx.campaignId,
        at,
        goal: c.next.goal,
        payout: c.next.payout,
        currency: c.next.currency,
        click: {
          id: c.ctx.clickId,
          campaignId: c.ctx.campaignId,
          at: c.ctx.clickAt,
          ip: c.ctx.fraud.ip,
          userAgent: c.ctx.fraud.userAgent,
          subs: sentSubs(c.ctx.subs),
        },
      }),
    ),
  );
  return new Map(created.map((c, i) => [c.id, answers[i]]));
}

/** The sub ids that were sent (a scorer sees no empty ones). */
function sentSubs(subs: Readonly<Record<string, string | null>>): Record<string, string> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(subs)) if (value !== null && value !== '') sent[name] = value;
  return sent;
}
