import { existsSync, readdirSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import type { NetworkAdapter, PostwirePlugin, TrafficSourcePreset } from '@postwire/plugin-sdk';

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
  if (!plugin || typeof plugin !== 'object' || (!Array.isArray(plugin.adapters) && !Array.isArray(plugin.presets) && !Array.isArray(plugin.targets))) {
    throw new PluginLoadError(`Plugin ${target} exports no adapters, presets or targets (expected a default export made with definePlugin).`);
  }
  return plugin;
}
