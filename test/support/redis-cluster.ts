import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { freePort } from './ports';
import { waitUntil } from './wait-until';

const run = promisify(execFile);

/** One redis-server of the cluster. */
interface ClusterNode {
  port: number;
  child: ChildProcess;
}

/**
 * A private Redis Cluster of real redis-server processes on loopback: `masters` masters, each with
 * one replica, in a temp folder of its own. A short node timeout (1 s) makes a failover take a few
 * seconds instead of the default 15+.
 */
export class RedisCluster {
  private constructor(
    private readonly dir: string,
    private readonly nodes: ClusterNode[],
  ) {}

  static async start(masters = 3): Promise<RedisCluster> {
    const dir = mkdtempSync(join(tmpdir(), 'postwire-redis-cluster-'));
    const nodes: ClusterNode[] = [];
    const cluster = new RedisCluster(dir, nodes);
    try {
      for (let i = 0; i < masters * 2; i++) {
        const port = await freePort();
        const child = spawn(
          'redis-server',
          [
            ...['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no'],
            ...['--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '1000'],
            ...['--maxmemory-policy', 'noeviction'],
          ],
          { stdio: 'ignore' },
        );
        nodes.push({ port, child });
      }
      for (const node of nodes) await waitUntil(() => cluster.ping(node.port), 10_000, `redis-server on ${node.port}`);
      // The first `masters` addresses become masters, the others their replicas.
      await run('redis-cli', ['--cluster', 'create', ...nodes.map((n) => `127.0.0.1:${n.port}`), '--cluster-replicas', '1', '--cluster-yes']);
      // Replicas show in the slot map a moment after `--cluster create` returns; a client reading it
      // earlier would not know them (nor could a master without one fail over).
      await cluster.waitUntilHealthy({ replicas: true });
      return cluster;
    } catch (error) {
      await cluster.stop();
      throw error;
    }
  }

  /** Every node as `host:port`, comma-separated (REDIS_CLUSTER_NODES). */
  get seeds(): string {
    return this.nodes.map((n) => `127.0.0.1:${n.port}`).join(',');
  }

  /** Ports of the nodes still running. */
  get livePorts(): number[] {
    return this.nodes.filter((n) => n.child.exitCode === null && n.child.signalCode === null).map((n) => n.port);
  }

  /** The port of the master serving `key`'s slot, as a live node sees the cluster. */
  async masterOf(key: string): Promise<number> {
    return this.withNode(this.livePorts[0], async (redis) => {
      const slot = (await redis.call('CLUSTER', 'KEYSLOT', key)) as number;
      const ranges = (await redis.call('CLUSTER', 'SLOTS')) as Array<[number, number, [string, number, string], ...unknown[]]>;
      const range = ranges.find(([from, to]) => slot >= from && slot <= to);
      if (!range) throw new Error(`no master serves slot ${slot}`);
      return range[2][1];
    });
  }

  /** SIGKILLs one node, as a crashed machine would go. */
  async kill(port: number): Promise<void> {
    const node = this.nodes.find((n) => n.port === port);
    if (!node || node.child.exitCode !== null || node.child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      node.child.once('exit', () => resolve());
      node.child.kill('SIGKILL');
    });
  }

  /**
   * Waits until every live node reports `cluster_state:ok` and no slot is served by a node that is
   * down: after a kill, until a replica was promoted in its master's place. With `replicas`, also until
   * every slot range lists a replica.
   */
  async waitUntilHealthy({ replicas = false, timeoutMs = 20_000 } = {}): Promise<void> {
    await waitUntil(
      async () => {
        const live = this.livePorts;
        for (const port of live) {
          const healthy = await this.withNode(port, async (redis) => {
            const info = (await redis.call('CLUSTER', 'INFO')) as string;
            if (!info.includes('cluster_state:ok')) return false;
            const ranges = (await redis.call('CLUSTER', 'SLOTS')) as Array<[number, number, ...Array<[string, number, string]>]>;
            const covered = ranges.reduce((sum, [from, to]) => sum + (to - from + 1), 0);
            return covered === 16384 && ranges.every((r) => live.includes(r[2][1]) && (!replicas || r.length >= 4));
          });
          if (!healthy) return false;
        }
        return true;
      },
      timeoutMs,
      'the Redis Cluster to be healthy',
      100,
    );
  }

  /** Kills every node and removes the folder. */
  async stop(): Promise<void> {
    await Promise.all(this.nodes.map((n) => this.kill(n.port)));
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async ping(port: number): Promise<boolean> {
    return this.withNode(port, async (redis) => (await redis.ping()) === 'PONG').catch(() => false);
  }

  /** Runs `use` on a connection to one node (not the cluster): for CONFIG and CLUSTER commands. */
  async onNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
    return this.withNode(port, use);
  }

  private async withNode<T>(port: number, use: (redis: Redis) => Promise<T>): Promise<T> {
    const redis = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null, connectTimeout: 1000 });
    try {
      await redis.connect();
      return await use(redis);
    } finally {
      redis.disconnect();
    }
  }
}
