import type { NetworkAdapter } from './network-adapter';
import type { ForwardingTarget } from './forwarding-target';
import type { FraudScorerPlugin } from './fraud-scorer-plugin';
import type { TrafficSourcePreset } from './traffic-source-preset';

/**
 * What a plugin package or folder exports (as `default` or as the module itself). A plugin may
 * bring network adapters (inbound), traffic-source presets (outbound), forwarding targets, fraud scorers.
 */
export interface PostwirePlugin {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  adapters?: ReadonlyArray<NetworkAdapter<any>>;
  presets?: readonly TrafficSourcePreset[];
  /** Forwarding targets (ad platforms and the like) this plugin brings; see {@link ForwardingTarget}. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  targets?: ReadonlyArray<ForwardingTarget<any>>;
  /** Fraud scorers this plugin brings; see {@link FraudScorerPlugin}. */
  scorers?: readonly FraudScorerPlugin[];
}

export function definePlugin(plugin: PostwirePlugin): PostwirePlugin {
  return plugin;
}
