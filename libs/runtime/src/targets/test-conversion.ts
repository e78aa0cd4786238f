import type { ConversionStatus } from '@postwire/core';
import type { SourceTarget, StoredTargetConversion } from '@postwire/persistence';

/** The made-up conversion of a test delivery (the console's "Send test delivery"). */
export interface TestConversionValues {
  /** The test delivery's id, used as the conversion id (the platforms' event id). */
  conversionId: string;
  status: ConversionStatus;
  payout: string;
  currency: string;
  goal: string;
}

/** Click ids no platform issued: each target finds the identifier it matches on, and the platform says what it makes of it. */
const TEST_AD_IDS = { fbclid: 'PostwireTestDelivery', gclid: 'PostwireTestDelivery', ttclid: 'PostwireTestDelivery' };

/**
 * A test delivery's conversion as a target builds it: marked test (Google validates only, Meta and TikTok send
 * it only with a test event code), a click an hour ago from a documentation address (RFC 5737), no personal data.
 */
export function testTargetConversion(sourceId: string, settings: SourceTarget, values: TestConversionValues, now: Date): StoredTargetConversion {
  const clickAt = new Date(now.getTime() - 3_600_000);
  return {
    conversion: {
      id: values.conversionId,
      status: values.status,
      previousStatus: null,
      goal: values.goal === 'default' ? '' : values.goal,
      txid: `test-${values.conversionId.slice(0, 8)}`,
      payout: values.payout,
      revenue: values.payout,
      currency: values.currency,
      occurredAt: now,
      isTest: true,
    },
    click: { id: 'test-click', at: clickAt, ip: '192.0.2.1', userAgent: 'Mozilla/5.0 (Postwire test delivery)', country: null, adIds: TEST_AD_IDS },
    personal: {},
    event: 'created',
    source: { id: sourceId, ...settings },
  };
}
