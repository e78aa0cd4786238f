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
 * Counting starts when a click is handed to the writer ({@link prefetch}), not when its batch is formed:
 * a click waits for the batch in flight to commit anyway, so its counts arrive meanwhile and the batch
 * rarely waits for Redis at all. Like the writer's group commit, one count is in flight at a time: the
 * clicks handed over while it is in flight gather, and go together in one pipelined round trip when it answers.
 * Each round trip costs the tracker a socket write and a read whatever it carries: clicks arriving one per
 * event-loop turn (visitors one by one) made one each; now there is at most one per Redis answer (bench/NOTES.md,
 * third pass). A batch that forms while some of its clicks still gather sends them at once rather than
 * waiting for the count in flight.
 */
@Injectable()
export class ClickVelocityStep implements OnModuleInit {
  private readonly counter?: AppVelocityCounter;
  /** Counts asked for and not yet taken by a batch, by click id. */
  private readonly pending = new Map<string, Promise<ReadonlyMap<string, ClickVelocity> | undefined>>();
  /** Clicks handed over and not yet sent, and the promise their counts will settle. */
  private gathering: NewClick[] = [];
  private gathered?: Gathered;
  /** Counts sent and not yet answered (at most one, but for a batch that could not wait for it). */
  private inFlight = 0;
  private sendScheduled = false;

  constructor(
    @Optional() @Inject(VELOCITY_COUNTER) counter?: AppVelocityCounter | null,
    @Optional() @Inject(POSTWIRE_CONFIG) config?: Pick<PostwireConfig, 'fraud'>,
  ) {
    this.counter = config?.fraud.scoring === false ? undefined : (counter ?? undefined);
  }

  onModuleInit(): void {
    this.counter?.connect?.();
  }

  /**
   * Starts counting a click as it is handed to the writer: at the end of this event-loop turn when no count
   * is in flight, else with the clicks gathered when the one in flight answers.
   */
  prefetch(click: NewClick): void {
    if (!this.counter) return;
    this.gathered ??= gathered();
    this.gathering.push(click);
    this.pending.set(click.id, this.gathered.counts);
    if (this.inFlight === 0 && !this.sendScheduled) {
      this.sendScheduled = true;
      setImmediate(() => {
        this.sendScheduled = false;
        if (this.inFlight === 0) this.send();
      });
    }
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
    const settle = this.gathered;
    if (clicks.length === 0 || !settle) return;
    this.gathering = [];
    this.gathered = undefined;
    this.inFlight++;
    const counting = this.count(clicks);
    settle.resolve(counting);
    const answered = () => {
      this.inFlight--;
      if (this.inFlight === 0) this.send();
    };
    counting.then(answered, answered);
  }

  private count(clicks: readonly NewClick[]): Promise<ReadonlyMap<string, ClickVelocity> | undefined> {
    const counted = clicks.map((click) => toCount(click)).filter((c) => c.count.ip || c.count.ipUserAgent || c.count.subParams.length);
    if (counted.length === 0) return Promise.resolve(undefined);
    return this.counter!.countClicks(counted, new Date());
  }
}

type Counts = ReadonlyMap<string, ClickVelocity> | undefined;

/** The counts of the clicks gathering now, settled when they are sent. */
interface Gathered {
  counts: Promise<Counts>;
  resolve(counting: Promise<Counts>): void;
}

function gathered(): Gathered {
  let resolve!: (counting: Promise<Counts>) => void;
  const counts = new Promise<Counts>((r) => (resolve = r));
  return { counts, resolve };
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
