import type { PostwireConfig } from '@postwire/config';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import Redis from 'ioredis';
import { DeliveryQueue } from './delivery-queue';
import { DELIVERY_QUEUE_NAME } from './tokens';

// Real Redis (127.0.0.1:6379) and real BullMQ: what is checked is what lands in Redis.
const REDIS_URL = 'redis://127.0.0.1:6379';
const prefix = `pwtest-dq-${randomBytes(4).toString('hex')}`;
const config = (redisUrl: string) => ({ redisUrl, redisClusterNodes: [], queuePrefix: prefix }) as unknown as PostwireConfig;
const reader = new Queue(DELIVERY_QUEUE_NAME, { connection: { host: '127.0.0.1', port: 6379 }, prefix });
let queue: DeliveryQueue;

beforeEach(() => {
  queue = new DeliveryQueue(config(REDIS_URL));
});

afterEach(async () => {
  jest.restoreAllMocks();
  await queue.onApplicationShutdown();
});

afterAll(async () => {
  await reader.close();
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const keys = await redis.keys(`${prefix}:*`);
  if (keys.length) await redis.del(...keys);
  await redis.quit();
});

describe('DeliveryQueue.enqueue', () => {
  it('adds the calls made in one turn with one addBulk, each job with its own delay', async () => {
    const addBulk = jest.spyOn(Queue.prototype, 'addBulk');
    const now = [randomUUID(), randomUUID()];
    const later = [randomUUID()];
    const alone = [randomUUID()];
    const counts = await Promise.all([queue.enqueue(now), queue.enqueue(later, new Date(Date.now() + 60_000)), queue.enqueue(alone), queue.enqueue([])]);
    expect(counts).toEqual([2, 1, 1, 0]);
    expect(addBulk).toHaveBeenCalledTimes(1);
    for (const id of [...now, ...alone]) expect(await reader.getJobState(id)).toBe('waiting');
    expect(await reader.getJobState(later[0])).toBe('delayed');
    expect((await reader.getJob(now[1]))?.data).toEqual({ deliveryId: now[1] });
  });

  it('does not hold a call for a later turn: calls in separate turns get separate addBulks', async () => {
    const addBulk = jest.spyOn(Queue.prototype, 'addBulk');
    const first = randomUUID();
    const second = randomUUID();
    expect(await queue.enqueue([first])).toBe(1);
    expect(await queue.enqueue([second])).toBe(1);
    expect(addBulk).toHaveBeenCalledTimes(2);
    expect(await reader.getJobState(first)).toBe('waiting');
    expect(await reader.getJobState(second)).toBe('waiting');
  });

  it('splits a large turn into addBulks of at most 1000 jobs without splitting a call', async () => {
    const addBulk = jest.spyOn(Queue.prototype, 'addBulk');
    const calls = Array.from({ length: 3 }, () => Array.from({ length: 400 }, () => randomUUID()));
    expect(await Promise.all(calls.map((ids) => queue.enqueue(ids)))).toEqual([400, 400, 400]);
    expect(addBulk.mock.calls.map(([jobs]) => jobs.length)).toEqual([800, 400]);
    expect(await reader.getJobCounts('waiting')).toMatchObject({ waiting: expect.any(Number) });
    for (const ids of calls) expect(await reader.getJobState(ids[399])).toBe('waiting');
  });

  it('adds a delivery whose job exists once (the job id is the delivery id)', async () => {
    const id = randomUUID();
    await Promise.all([queue.enqueue([id]), queue.enqueue([id])]);
    await queue.enqueue([id]);
    const jobs = await reader.getJobs(['waiting'], 0, -1);
    expect(jobs.filter((j) => j.id === id)).toHaveLength(1);
  });

  it('resolves to 0 for every call of a turn Redis did not take, without throwing', async () => {
    const unreachable = new DeliveryQueue(config('redis://127.0.0.1:1'));
    try {
      expect(await Promise.all([unreachable.enqueue([randomUUID()]), unreachable.enqueue([randomUUID(), randomUUID()])])).toEqual([0, 0]);
    } finally {
      await unreachable.onApplicationShutdown();
    }
  });

  it('sends what the last turn collected before shutting down', async () => {
    const id = randomUUID();
    const added = queue.enqueue([id]);
    await queue.onApplicationShutdown();
    expect(await added).toBe(1);
    expect(await reader.getJobState(id)).toBe('waiting');
  });
});
