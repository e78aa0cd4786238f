import type { ConversionSnapshot } from './types';

/** Which channels reported a conversion, for the pixel-vs-S2S reconciliation report. */
export type ReconciliationClass = 'pixel_only' | 's2s_only' | 'both';

/**
 * Classifies a conversion for the reconciliation report: `pixel_only` (the network never confirmed
 * it by postback), `s2s_only` (the pixel never fired: blocked, or a tracking gap on the landing
 * page) or `both`.
 */
export function classifyReconciliation(snapshot: Pick<ConversionSnapshot, 'source' | 'pixelSeen'>): ReconciliationClass {
  if (snapshot.source === 'pixel') return 'pixel_only';
  return snapshot.pixelSeen ? 'both' : 's2s_only';
}
