import type { ConversionToCount, ConversionVelocity, VelocityCounter } from '@postwire/core';
import type { ConversionWrite } from './batch-plan';

/**
 * Counts the conversions a batch creates (test conversions aside) in the velocity windows, before
 * the batch is scored. A conversion's identity is what makes it one conversion (network, click, goal
 * key, txid), not its new id: a batch decided again after a race counts nothing twice. Undefined when
 * the counts are unavailable: the signals are then absent.
 */
export function countConversionVelocity(
  counter: VelocityCounter,
  created: readonly ConversionWrite[],
  at: Date,
): Promise<ReadonlyMap<string, ConversionVelocity> | undefined> {
  const counted: ConversionToCount[] = created
    .filter((c) => !c.test && c.ctx.fraud.ip)
    .map((c) => ({
      id: c.id,
      identity: [c.ctx.networkId, c.ctx.clickId, c.singleKey ?? '', c.next.txid ?? ''].join('|'),
      clickId: c.ctx.clickId,
      ip: c.ctx.fraud.ip,
      userAgent: c.ctx.fraud.userAgent,
    }));
  if (counted.length === 0) return Promise.resolve(new Map());
  return counter.countConversions(counted, at);
}
