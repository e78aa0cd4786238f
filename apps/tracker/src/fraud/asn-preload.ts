import { Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DEFAULT_FRAUD_POLICY, FraudScorer } from '@postwire/core';

/**
 * Reads the IP-to-ASN data (a second or two, some 40 MB) while the tracker boots, so the first scored
 * batch of clicks or conversions does not wait for it: one throwaway assessment makes the scorer load it.
 */
@Injectable()
export class AsnPreload implements OnApplicationBootstrap {
  constructor(private readonly scorer: FraudScorer) {}

  onApplicationBootstrap(): void {
    this.scorer.assessClick({ ip: '192.0.2.1', userAgent: null, subs: {} }, DEFAULT_FRAUD_POLICY);
  }
}
