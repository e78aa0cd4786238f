import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { DEFAULT_FRAUD_POLICY, FraudScorer } from '@postwire/core';
import { POSTWIRE_CONFIG } from '@postwire/runtime';

/**
 * Reads the IP-to-ASN data (half a second, some 15 MB) while the tracker boots, so the first scored
 * batch of clicks or conversions does not wait for it: one throwaway assessment makes the scorer load it.
 */
@Injectable()
export class AsnPreload implements OnApplicationBootstrap {
  constructor(
    private readonly scorer: FraudScorer,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (!this.config.fraud.scoring) return;
    this.scorer.assessClick({ ip: '192.0.2.1', userAgent: null, subs: {} }, DEFAULT_FRAUD_POLICY);
  }
}
