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
 * The click writer's velocity step: counts clicks per IP, per IP + user agent and per sub id value
 * (Redis, at most 50 ms) before their batch is enriched and scored, never on the redirect. What is
 * counted follows each click's policy: a signal that is off (threshold null, weight 0) is not counted.
 * No counts (Redis away or slow, FRAUD_SCORING=off): the signals are absent.
 *
 * Counting starts when a click is handed to the writer ({@link prefetch}: the clicks of one event-loop
 * turn go as one pipelined round trip), not when its batch is formed: a click waits for the batch in
 * flight to commit anyway, so its counts arrive meanwhile and the batch rarely waits for Redis at all.
 */
@Injectable()
export class ClickVelocityStep implements OnModuleInit {
  private readonly counter?: AppVelocityCounter;
  /** Counts asked for and not yet taken by a batch, by click id. */
  private readonly pending = new Map<string, Promise<ReadonlyMap<string, ClickVelocity> | undefined>>();
  private gathering: NewClick[] = [];

  constructor(
    @Optional() @Inject(VELOCITY_COUNTER) counter?: AppVelocityCounter | null,
    @Optional() @Inject(POSTWIRE_CONFIG) config?: Pick<PostwireConfig, 'fraud'>,
  ) {
    this.counter = config?.fraud.scoring === false ? undefined : (counter ?? undefined);
  }

  onModuleInit(): void {
    this.counter?.connect?.();
  }

  /** Starts counting a click as it is handed to the writer; the clicks of one event-loop turn are counted together. */
  prefetch(click: NewClick): void {
    if (!this.counter) return;
    if (this.gathering.length === 0) setImmediate(() => this.send());
    this.gathering.push(click);
  }

  /** Each click's counts by click id (this click included), or undefined when they could not be measured. */
  async measure(clicks: readonly NewClick[]): Promise<ReadonlyMap<string, ClickVelocity> | undefined> {
    if (!this.counter) return undefined;
    // Clicks of this batch still gathering (handed over in this very turn) are sent now.
    if (this.gathering.length) this.send();
    const asked = new Set<Promise<ReadonlyMap<string, ClickVelocity> | undefined>>();
    const unasked: NewClick[] = [];
    for (const click of clicks) {
      const counting = this.pending.get(click.id);
      this.pending.delete(click.id);
      if (counting) asked.add(counting);
      else unasked.push(click);
    }
    if (unasked.length) asked.add(this.count(unasked));
    const answers = await Promise.all(asked);
    if (answers.every((a) => a === undefined)) return undefined;
    const merged = new Map<string, ClickVelocity>();
    for (const answer of answers) for (const [id, velocity] of answer ?? []) merged.set(id, velocity);
    return merged;
  }

  private send(): void {
    const clicks = this.gathering;
    if (clicks.length === 0) return;
    this.gathering = [];
    const counting = this.count(clicks);
    for (const click of clicks) this.pending.set(click.id, counting);
  }

  private count(clicks: readonly NewClick[]): Promise<ReadonlyMap<string, ClickVelocity> | undefined> {
    const counted = clicks.map((click) => toCount(click)).filter((c) => c.count.ip || c.count.ipUserAgent || c.count.subParams.length);
    if (counted.length === 0) return Promise.resolve(undefined);
    return this.counter!.countClicks(counted, new Date());
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
