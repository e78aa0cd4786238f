import { Inject, Injectable, Optional } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import type { NewClick } from '@postwire/persistence';
import { PluginScoring, POSTWIRE_CONFIG, type PluginReadings } from '@postwire/runtime';
import { PluginRegistry } from '../plugins/plugin-registry';

/** What the scorer plugins answered on each click of a batch, by click id. */
export type ClickPluginReadings = ReadonlyMap<string, PluginReadings>;

/**
 * The click writer's scorer-plugin step (docs/plugins.md#fraud-scorers): asks the installed scorer plugins
 * about each click before its batch is enriched and scored. A click is answered (302) once its batch
 * commits, so a scorer's wait is the visitor's wait: each scorer is cut at `FRAUD_SCORER_INTAKE_TIMEOUT_MS`
 * ({@link PluginScoring}), the same short bound as conversions at intake, and asking starts when the click
 * is handed to the writer ({@link prefetch}), so it overlaps the commit of the batch in flight. A scorer
 * that is slow, throws or is unavailable leaves its signals out and the batch is stored all the same.
 * No scorer installed, or FRAUD_SCORING=off: {@link active} is false and the writer takes no async step at all.
 */
@Injectable()
export class ClickScorerPlugins {
  private readonly scoring?: PluginScoring;
  /** Answers asked for and not yet taken by a batch, by click id. */
  private readonly pending = new Map<string, Promise<PluginReadings>>();

  constructor(
    @Optional() registry?: PluginRegistry,
    @Optional() @Inject(POSTWIRE_CONFIG) config?: Pick<PostwireConfig, 'fraud'>,
    /** The scorers themselves (tests); the registry's installed ones otherwise. */
    @Optional() scoring?: PluginScoring,
  ) {
    const scorers = registry?.listScorers().map((s) => s.scorer) ?? [];
    const made = scoring ?? new PluginScoring(scorers, config?.fraud.scorerIntakeTimeoutMs ?? 300);
    this.scoring = config?.fraud.scoring === false || made.empty ? undefined : made;
  }

  /** A scorer is installed and scoring is on. */
  get active(): boolean {
    return this.scoring !== undefined;
  }

  /** Starts asking about a click as it is handed to the writer (never rejects: a scorer's failure is a note). */
  prefetch(click: NewClick): void {
    if (this.scoring && !this.pending.has(click.id)) this.pending.set(click.id, this.ask(this.scoring, click));
  }

  /** Each click's readings and notes, by click id: the answers already asked for, the others asked now. */
  async read(clicks: readonly NewClick[]): Promise<ClickPluginReadings> {
    const scoring = this.scoring;
    if (!scoring) return new Map();
    const asking = clicks.map((click) => {
      const pending = this.pending.get(click.id);
      this.pending.delete(click.id);
      return pending ?? this.ask(scoring, click);
    });
    const answers = await Promise.all(asking);
    return new Map(clicks.map((click, i) => [click.id, answers[i]]));
  }

  private ask(scoring: PluginScoring, click: NewClick): Promise<PluginReadings> {
    return scoring.scoreClick({
      id: click.id,
      campaignId: click.campaignId,
      at: click.createdAt,
      ip: click.ip ?? null,
      userAgent: click.userAgent ?? null,
      subs: sentSubs(click.subs),
    });
  }
}

/** The sub ids that were sent (a scorer sees no empty ones). */
function sentSubs(subs: Readonly<Record<string, string | null | undefined>>): Record<string, string> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(subs)) if (value) sent[name] = value;
  return sent;
}
