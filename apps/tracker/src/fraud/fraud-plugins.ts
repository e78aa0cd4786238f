import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { FraudScorer } from '@postwire/core';
import { PostbackRecorder } from '@postwire/persistence';
import { PluginScoring, POSTWIRE_CONFIG } from '@postwire/runtime';
import { PluginRegistry } from '../plugins/plugin-registry';

/**
 * The installed fraud scorer plugins (docs/plugins.md#fraud-scorers): their declared codes and default
 * weights (handed to the process's {@link FraudScorer}), and the runner that asks them with a timeout. The
 * postback recorder gets its own runner, cut at `FRAUD_SCORER_INTAKE_TIMEOUT_MS` (it waits inside a transaction).
 */
@Injectable()
export class FraudPlugins {
  readonly scoring: PluginScoring;
  /** Every code an installed scorer declares. */
  readonly codes: ReadonlySet<string>;
  /** Their declared default weights, by code. */
  readonly weights: Readonly<Record<string, number>>;

  constructor(registry: PluginRegistry, scorer: FraudScorer, @Inject(POSTWIRE_CONFIG) config: PostwireConfig, recorder: PostbackRecorder) {
    const scorers = registry.listScorers().map((s) => s.scorer);
    this.scoring = new PluginScoring(scorers, config.fraud.scorerTimeoutMs);
    if (scorers.length && config.fraud.scoring) recorder.adoptScorerPlugins(new PluginScoring(scorers, config.fraud.scorerIntakeTimeoutMs));
    this.weights = registry.scorerWeights();
    this.codes = new Set(Object.keys(this.weights));
    scorer.adoptPluginWeights(this.weights);
  }

  /** The policy's weight codes no installed scorer declares (built-in codes are always known): `weights.<code>` is then a 400. */
  unknownWeightCodes(weights: Readonly<Record<string, unknown>> | undefined): string[] {
    return Object.keys(weights ?? {}).filter((code) => code.includes(':') && !this.codes.has(code));
  }
}
