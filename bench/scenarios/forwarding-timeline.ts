import { QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';

/** Times (ms since the epoch, Redis's clock) at which BullMQ recorded a job's steps. */
export interface JobSteps {
  /**
   * The job's own `timestamp` (the tracker's clock when its `addBulk` built it), read from the job
   * hash as soon as `added` arrives; missing when the job was already completed and removed.
   */
  built?: number;
  /** The producer's `addBulk` reached Redis. */
  added?: number;
  /** A worker moved it to active (picked it up); the first time, if it ran more than once. */
  active?: number;
  /** The processor returned (after its attempt was committed) and the job was completed. */
  completed?: number;
}

/**
 * Follows the delivery queue's event stream from the bench, so the end-to-end latency can be cut
 * into parts without any instrumentation in Postwire: every BullMQ event is an XADD whose entry id
 * starts with Redis's clock in milliseconds, and Redis runs on the same machine as the tracker,
 * the worker, PostgreSQL and the receiver. Reading it live (rather than with XRANGE afterwards)
 * keeps the events that the stream's length cap would trim.
 */
export class QueueTimeline {
  readonly jobs = new Map<string, JobSteps>();

  private constructor(
    private readonly events: QueueEvents,
    private readonly redis: Redis,
    private readonly jobKeyPrefix: string,
  ) {
    events.on('added', ({ jobId }, id) => {
      this.steps(jobId).added ??= streamMs(id);
      void redis.hget(jobKeyPrefix + jobId, 'timestamp').then(
        (ts) => ts && (this.steps(jobId).built ??= Number(ts)),
        () => undefined,
      );
    });
    events.on('active', ({ jobId }, id) => (this.steps(jobId).active ??= streamMs(id)));
    events.on('completed', ({ jobId }, id) => (this.steps(jobId).completed = streamMs(id)));
  }

  static async follow(queueName: string, prefix: string, redisUrl: string): Promise<QueueTimeline> {
    const url = new URL(redisUrl);
    const events = new QueueEvents(queueName, { connection: { host: url.hostname, port: Number(url.port || 6379) }, prefix });
    await events.waitUntilReady();
    return new QueueTimeline(events, new Redis(redisUrl), `${prefix}:${queueName}:`);
  }

  async close(): Promise<void> {
    await this.events.close();
    this.redis.disconnect();
  }

  private steps(jobId: string): JobSteps {
    let steps = this.jobs.get(jobId);
    if (!steps) this.jobs.set(jobId, (steps = {}));
    return steps;
  }
}

function streamMs(id: string): number {
  return Number(id.split('-')[0]);
}

/** p50 and p99 of the values, rounded to 0.1 ms, as "p50 / p99". */
export function spread(values: number[]): { p50: number; p99: number; text: string } {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] : 0);
  const p50 = Math.round(at(50) * 10) / 10;
  const p99 = Math.round(at(99) * 10) / 10;
  return { p50, p99, text: `${p50} / ${p99} ms` };
}
