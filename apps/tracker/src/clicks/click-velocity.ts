import { Inject, Injectable, Optional, type OnModuleInit } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import {
  DEFAULT_FRAUD_WEIGHTS,
  velocitySettings,
  type ClickToCount,
  type ClickVelocity,
  type FraudPolicy,
  type FraudReasonCode,
  type VelocityCounter,
} from '@postwire/core';
import type { NewClick } from '@postwire/persistence';
import { POSTWIRE_CONFIG, VELOCITY_COUNTER } from '@postwire/runtime';

/** The counter as the app provides it: it also connects at boot. */
type AppVelocityCounter = VelocityCounter & { connect?(): void };

/**
 * The click writer's velocity step: counts a batch's clicks per IP, per IP + user agent and per sub id
 * value (Redis, one round trip, at most 50 ms) before the batch is enriched and scored, never on the
 * redirect. What is counted follows each click's policy: a signal that is off (threshold null, weight
 * 0) is not counted. No counts (Redis away or slow, FRAUD_SCORING=off): the signals are absent.
 */
@Injectable()
export class ClickVelocityStep implements OnModuleInit {
  private readonly counter?: AppVelocityCounter;

  constructor(
    @Optional() @Inject(VELOCITY_COUNTER) counter?: AppVelocityCounter | null,
    @Optional() @Inject(POSTWIRE_CONFIG) config?: Pick<PostwireConfig, 'fraud'>,
  ) {
    this.counter = config?.fraud.scoring === false ? undefined : (counter ?? undefined);
  }

  onModuleInit(): void {
    this.counter?.connect?.();
  }

  /** Each click's counts by click id (this click included), or undefined when they could not be measured. */
  async measure(clicks: readonly NewClick[]): Promise<ReadonlyMap<string, ClickVelocity> | undefined> {
    if (!this.counter) return undefined;
    const counted = clicks.map((click) => toCount(click)).filter((c) => c.count.ip || c.count.ipUserAgent || c.count.subParams.length);
    if (counted.length === 0) return undefined;
    return this.counter.countClicks(counted, new Date());
  }
}

function toCount(click: NewClick): ClickToCount {
  const policy: Partial<FraudPolicy> = click.raw?.fraudPolicy ?? {};
  const settings = velocitySettings(policy.velocity);
  const on = (code: FraudReasonCode, threshold: number | null) => threshold !== null && (policy.weights?.[code] ?? DEFAULT_FRAUD_WEIGHTS[code]) > 0;
  return {
    id: click.id,
    campaignId: click.campaignId,
    ip: click.ip,
    userAgent: click.userAgent,
    subs: click.subs,
    count: {
      ip: on('ip_click_velocity', settings.ipClicksPerMinute),
      ipUserAgent: on('ip_ua_click_velocity', settings.ipUaClicksPerMinute),
      subParams: on('sub_click_velocity', settings.subClicksPerMinute) ? settings.subParams : [],
    },
  };
}
