import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { freePort, ServerProcess } from './proc';
import { REDIS_URL } from './infra';
import { STANDALONE_NODE_OPTIONS } from '../../apps/standalone/src/node-options';

export const ROOT = join(__dirname, '..', '..', '..');
/** The build to run; BENCH_DIST points at another one (a copy of dist/ inside the repository, to compare two builds). */
const DIST = process.env.BENCH_DIST ?? join(ROOT, 'dist');
/** The build being measured, as named in results: BENCH_BUILD_LABEL, else its path relative to the repository. */
export const BUILD = process.env.BENCH_BUILD_LABEL ?? (relative(ROOT, DIST) || DIST);
export const ADMIN_KEY = 'pw_admin_bench_' + randomBytes(12).toString('hex');
const SECRETS_KEY = randomBytes(32).toString('hex');

export type Entry = 'standalone' | 'tracker' | 'worker';

export interface PostwireOptions {
  entry: Entry;
  databaseUrl?: string;
  queuePrefix: string;
  dataDir?: string;
  env?: Record<string, string>;
  /** Directory for `node --cpu-prof` output; unset = no profiling. */
  cpuProfDir?: string;
  /** How long to wait for /health (a boot that migrates a big database takes long); 60 s by default. */
  readyTimeoutMs?: number;
}

export interface Postwire {
  proc: ServerProcess;
  url: string;
  dataDir: string;
  /** Embedded only: peak RSS of the first boot, which also ran PGlite's initdb. */
  firstBootPeakRssMb?: number;
}

/** Postwire as built (`dist/`), started the way a user starts it: its entry point, configured by environment only. */
export async function startPostwire(options: PostwireOptions): Promise<Postwire> {
  const port = await freePort();
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'postwire-bench-'));
  const env: Record<string, string> = {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    ADMIN_API_KEY: ADMIN_KEY,
    SECRETS_KEY,
    REDIS_URL,
    QUEUE_PREFIX: options.queuePrefix,
    // The bench's receiver listens on loopback, which forwarding refuses by default.
    FORWARD_ALLOW_CIDRS: '127.0.0.1/32',
    LOG_LEVEL: 'warn',
    ...(options.databaseUrl ? { DATABASE_URL: options.databaseUrl } : {}),
    ...options.env,
    // For experiments: settings given to every Postwire process of the run, e.g. '{"FORWARD_CONCURRENCY":"50"}'.
    ...(process.env.BENCH_POSTWIRE_ENV ? (JSON.parse(process.env.BENCH_POSTWIRE_ENV) as Record<string, string>) : {}),
  };
  const url = `http://127.0.0.1:${port}`;
  const nodeArgs = [
    // As `npm start` and the Docker image start it.
    ...(options.entry === 'standalone' ? STANDALONE_NODE_OPTIONS : []),
    ...(options.cpuProfDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfDir}`, '-r', join(__dirname, 'profile-preload.js')] : []),
  ];
  const proc = await ServerProcess.start({
    name: `postwire ${options.entry}`,
    script: join(DIST, 'apps', options.entry, 'src', 'main.js'),
    env,
    nodeArgs,
    ready: options.entry === 'worker' ? { line: 'forwarding worker started' } : { url: `${url}/health` },
    timeoutMs: options.readyTimeoutMs,
  });
  return { proc, url, dataDir };
}

/**
 * The embedded (PGlite) standalone as it runs day to day: booted once to create and migrate its
 * database, stopped, and booted again on the same data directory. PGlite's initdb on the first
 * boot alone takes several hundred MB that the process never gives back, which would otherwise
 * dominate the memory figure of a scenario about steady operation (it is reported separately).
 */
export async function startEmbedded(options: Omit<PostwireOptions, 'entry' | 'databaseUrl'>): Promise<Postwire> {
  const first = await startPostwire({ ...options, entry: 'standalone', cpuProfDir: undefined });
  const firstBootPeakRssMb = first.proc.peakRssMb();
  await first.proc.stop('SIGTERM');
  const again = await startPostwire({ ...options, entry: 'standalone', dataDir: first.dataDir });
  return { ...again, firstBootPeakRssMb };
}

export async function adminApi<T>(base: string, method: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${text.slice(0, 500)}`);
  return (text ? JSON.parse(text) : undefined) as T;
}

export interface Campaigns {
  networkId: string;
  trafficSourceId: string;
  /** Distinct campaigns per phase, so each phase's clicks can be counted on their own. */
  campaignIds: string[];
}

/** Network → offer → traffic source → campaigns, through the admin API as a user would. */
export async function setUpCampaigns(base: string, receiverUrl: string, count: number): Promise<Campaigns> {
  const network = await adminApi<{ id: string }>(base, 'POST', '/api/networks', { name: 'Bench Network', adapter: 'generic' });
  const offer = await adminApi<{ id: string }>(base, 'POST', '/api/offers', {
    name: 'Bench Offer',
    networkId: network.id,
    url: 'https://offer.example/land?cid={click_id}&camp={campaign_id}&s1={sub1}',
    payout: '2.50',
  });
  const source = await adminApi<{ id: string }>(base, 'POST', '/api/traffic-sources', {
    name: 'Bench Source',
    postbackUrl: `${receiverUrl}/pb?ext={external_id}&txid={txid}&payout={payout}`,
  });
  const campaignIds: string[] = [];
  for (let i = 0; i < count; i++) {
    const campaign = await adminApi<{ id: string }>(base, 'POST', '/api/campaigns', { name: `Bench ${i}`, trafficSourceId: source.id, offerId: offer.id });
    campaignIds.push(campaign.id);
  }
  return { networkId: network.id, trafficSourceId: source.id, campaignIds };
}

/** The click path a traffic source's visitors hit. */
export const clickPath = (campaignId: string) => `/c/${campaignId}?external_id=ext-1234567&sub1=banner-300x250&sub2=site-42`;
