import type { FraudReasonCode, FraudSignal } from './fraud-signal';

/**
 * A reason code a scorer plugin declares: namespaced by the plugin's id (`ip-reputation-file:listed`), so
 * it can never collide with a built-in code or another plugin's.
 */
export type PluginReasonCode = `${string}:${string}`;

/** Any code a signal may carry: one of the built-in closed set, or a plugin's namespaced one. */
export type ScorerReasonCode = FraudReasonCode | PluginReasonCode;

/**
 * One signal as a scorer reads it, before the policy weighs it: code, fired, value, threshold and the
 * optional `measured` number. The composing scorer adds the weight.
 */
export type SignalReading = Omit<FraudSignal, 'weight'>;

/** A plugin's code is `<pluginId>:<code>`: lowercase letters, digits and dashes on both sides. */
export const PLUGIN_REASON_CODE = /^[a-z][a-z0-9-]{0,47}:[a-z][a-z0-9_-]{0,47}$/;

export function isPluginReasonCode(code: string): code is PluginReasonCode {
  return PLUGIN_REASON_CODE.test(code);
}
