import { Inject, Injectable, Optional } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import type { NewClick } from '@postwire/persistence';
import { PluginScoring, POSTWIRE_CONFIG, type PluginReadings } from '@postwire/runtime';
import { PluginRegistry } from '../plugins/plugin-registry';

/** What the scorer plugins answered on each click of a batch, by click id. */
export type ClickPluginReadings = ReadonlyMap<string, PluginReadings>;

/**
 * The click writer's scorer-plugin step (docs/plugins.md#fraud-scorers): asks the installed scorer plugins
 * about every click of a batch, concurrently, before the batch is enriched and scored, never on the
 * redirect. Each scorer is cut at `FRAUD_SCORER_TIMEOUT_MS` ({@link PluginScoring}): one that is slow,
 * throws or is unavailable leaves its signals out, and the batch is stored all the same. No scorer
 * installed, or FRAUD_SCORING=off: {@link active} is false and the writer takes no async step at all.
 */
@Injectable()
export class ClickScorerPlugins {
  private readonly scoring?: PluginScoring;

  constructor(
    @Optional() registry?: PluginRegistry,
    @Optional() @Inject(POSTWIRE_CONFIG) config?: Pick<PostwireConfig, 'fraud'>,
    /** The scorers themselves (tests); the registry's installed ones otherwise. */
    @Optional() scoring?: PluginScoring,
  ) {
    const scorers = registry?.listScorers().map((s) => s.scorer) ?? [];
    const made = scoring ?? new PluginScoring(scorers, config?.fraud.scorerTimeoutMs ?? 2000);
    this.scoring = config?.fraud.scoring === false || made.empty ? undefined : made;
  }

  /** A scorer is installed and scoring is on. */
  get active(): boolean {
    return this.scoring !== undefined;
  }

  /** Each click's readings and notes, by click id. */
  async read(clicks: readonly NewClick[]): Promise<ClickPluginReadings> {
    const scoring = this.scoring;
    if (!scoring) return new Map();
    const answers = await Promise.all(
      clicks.map((click) =>
        scoring.scoreClick({
          id: click.id,
          campaignId: click.campaignId,
          at: click.createdAt,
          ip: click.ip ?? null,
          userAgent: click.userAgent ?? null,
          subs: sentSubs(click.subs),
        }),
      ),
    );
    return new Map(clicks.map((click, i) => [click.id, answers[i]]));
  }
}

/** The sub ids that were sent (a scorer sees no empty ones). */
function sentSubs(subs: Readonly<Record<string, string | null | undefined>>): Record<string, string> {
  const sent: Record<string, string> = {};
  for (const [name, value] of Object.entries(subs)) if (value) sent[name] = value;
  return sent;
}
