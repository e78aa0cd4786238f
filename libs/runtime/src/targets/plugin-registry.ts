import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import {
  postbackUrlTarget,
  scorerDeclarationProblems,
  type ForwardingTarget,
  type FraudScorerPlugin,
  type NetworkAdapter,
  type PostwirePlugin,
  type TrafficSourcePreset,
} from '@postwire/plugin-sdk';

/** Where built-in plugins live, relative to this file both in the sources and in the build. */
export const BUILT_IN_PLUGINS_DIR = join(__dirname, '..', '..', '..', '..', 'plugins');

export class PluginLoadError extends Error {}

/**
 * Every installed network adapter and traffic-source preset, found by looking, never by a
 * hand-kept list: each folder of `plugins/` with an `index` module, plus the npm packages or
 * paths named in `PLUGINS`. Two plugins claiming one id stop boot.
 */
export class PluginRegistry {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly adapters = new Map<string, { adapter: NetworkAdapter<any>; origin: string }>();
  private readonly presets = new Map<string, { preset: TrafficSourcePreset; origin: string }>();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  private readonly targets = new Map<string, { target: ForwardingTarget<any>; origin: string }>([
    ['postback-url', { target: postbackUrlTarget, origin: 'built-in' }],
  ]);
  private readonly scorers = new Map<string, { scorer: FraudScorerPlugin; origin: string }>();

  static load(options: { builtInDir?: string; external?: readonly string[]; cwd?: string } = {}): PluginRegistry {
    const registry = new PluginRegistry();
    const dir = options.builtInDir ?? BUILT_IN_PLUGINS_DIR;
    if (existsSync(dir)) {
      for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
        if (!entry.isDirectory()) continue;
        const folder = join(dir, entry.name);
        if (!['index.js', 'index.ts'].some((f) => existsSync(join(folder, f)))) continue;
        registry.add(requirePlugin(join(folder, 'index')), `plugins/${entry.name}`);
      }
    }
    for (const spec of options.external ?? []) {
      const target = spec.startsWith('.') || isAbsolute(spec) ? resolve(options.cwd ?? process.cwd(), spec) : spec;
      registry.add(requirePlugin(target), spec);
    }
    return registry;
  }

  add(plugin: PostwirePlugin, origin: string): void {
    for (const adapter of plugin.adapters ?? []) {
      const taken = this.adapters.get(adapter.id);
      if (taken)
        throw new PluginLoadError(`Two plugins define the network adapter "${adapter.id}": ${taken.origin} and ${origin}. Remove one or rename its id.`);
      this.adapters.set(adapter.id, { adapter, origin });
    }
    for (const preset of plugin.presets ?? []) {
      const taken = this.presets.get(preset.id);
      if (taken) throw new PluginLoadError(`Two plugins define the traffic-source preset "${preset.id}": ${taken.origin} and ${origin}.`);
      this.presets.set(preset.id, { preset, origin });
    }
    for (const target of plugin.targets ?? []) {
      const taken = this.targets.get(target.id);
      if (taken) throw new PluginLoadError(`Two plugins define the forwarding target "${target.id}": ${taken.origin} and ${origin}.`);
      this.targets.set(target.id, { target, origin });
    }
    for (const scorer of plugin.scorers ?? []) {
      const taken = this.scorers.get(scorer.id);
      if (taken) throw new PluginLoadError(`Two plugins define the fraud scorer "${scorer.id}": ${taken.origin} and ${origin}.`);
      const problems = scorerDeclarationProblems(scorer);
      if (problems.length) throw new PluginLoadError(`The fraud scorer "${scorer.id}" of ${origin}: ${problems.join('; ')}.`);
      this.scorers.set(scorer.id, { scorer, origin });
    }
  }

  /** Every installed fraud scorer plugin, in load order. */
  listScorers(): Array<{ scorer: FraudScorerPlugin; origin: string }> {
    return [...this.scorers.values()];
  }

  /** The default weight of every code the installed scorers declare (the policy's `weights` may name only these, besides the built-in codes). */
  scorerWeights(): Record<string, number> {
    const weights: Record<string, number> = {};
    for (const { scorer } of this.scorers.values()) for (const reason of scorer.reasons) weights[reason.code] = reason.defaultWeight;
    return weights;
  }

  /** A forwarding target by id; `postback-url` (built in) is always there. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  target(id: string): ForwardingTarget<any> | undefined {
    return this.targets.get(id)?.target;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  listTargets(): Array<{ target: ForwardingTarget<any>; origin: string }> {
    return [...this.targets.values()];
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  adapter(id: string): NetworkAdapter<any> | undefined {
    return this.adapters.get(id)?.adapter;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  listAdapters(): Array<{ adapter: NetworkAdapter<any>; origin: string }> {
    return [...this.adapters.values()];
  }

  preset(id: string): TrafficSourcePreset | undefined {
    return this.presets.get(id)?.preset;
  }

  listPresets(): Array<{ preset: TrafficSourcePreset; origin: string }> {
    return [...this.presets.values()];
  }
}

function requirePlugin(target: string): PostwirePlugin {
  let loaded: unknown;
  try {
    loaded = require(target);
  } catch (error) {
    throw new PluginLoadError(`Cannot load plugin ${target}: ${(error as Error).message}`);
  }
  const mod = loaded as { default?: unknown };
  const plugin = (mod && typeof mod === 'object' && 'default' in mod ? mod.default : mod) as PostwirePlugin;
  if (
    !plugin ||
    typeof plugin !== 'object' ||
    (!Array.isArray(plugin.adapters) && !Array.isArray(plugin.presets) && !Array.isArray(plugin.targets) && !Array.isArray(plugin.scorers))
  ) {
    throw new PluginLoadError(`Plugin ${target} exports no adapters, presets, targets or scorers (expected a default export made with definePlugin).`);
  }
  return plugin;
}
