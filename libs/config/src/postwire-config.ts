import { join } from 'node:path';
import type { SourceHealthThresholds } from '@postwire/core';
import { IpAllowlist } from '@postwire/security';
import { z } from 'zod';

const DURATION_UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1000],
  ['ms', 1],
];

/**
 * Parses a retry schedule such as `0,5s,5m,30m,2h` into milliseconds (a bare number is seconds).
 * Shared by FORWARD_RETRY_SCHEDULE and the per-traffic-source schedule of the admin API.
 */
export function parseDurations(raw: string): { ok: true; value: number[] } | { ok: false; reason: string } {
  const units = Object.fromEntries(DURATION_UNITS);
  const out: number[] = [];
  for (const part of raw.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(ms|s|m|h|d)?$/.exec(part);
    if (!match) return { ok: false, reason: `"${part.slice(0, 32)}" is not a duration like 0, 300ms, 5s, 5m, 2h` };
    out.push(Number(match[1]) * units[match[2] ?? 's']);
  }
  return { ok: true, value: out };
}

/** Writes milliseconds back in the schedule syntax, each in the largest unit that divides it (`[0, 5000, 300000]` → `0,5s,5m`). */
export function formatDurations(ms: readonly number[]): string {
  return ms
    .map((value) => {
      if (value === 0) return '0';
      const [unit, size] = DURATION_UNITS.find(([, size]) => value % size === 0) ?? ['ms', 1];
      return `${value / size}${unit}`;
    })
    .join(',');
}

function parseDurationList(raw: string, ctx: z.RefinementCtx): number[] {
  const parsed = parseDurations(raw);
  if (!parsed.ok) {
    ctx.addIssue({ code: z.ZodIssueCode.custom, message: parsed.reason });
    return z.NEVER;
  }
  return parsed.value;
}

const csv = z
  .string()
  .optional()
  .transform((v) =>
    v
      ? v
          .split(',')
          .map((s) => s.trim())
          .filter(Boolean)
      : [],
  );

/** `host:port` entries, with IPv6 hosts in brackets (`[::1]:7000`). */
function hostPortList(entries: string[], ctx: z.RefinementCtx): void {
  for (const entry of entries) {
    const match = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(\d{1,5})$/.exec(entry);
    if (!match || Number(match[2]) < 1 || Number(match[2]) > 65535)
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${entry.slice(0, 64)}" is not host:port` });
  }
}

/** A CIDR list that must parse with the same strict rules the guards use, so a typo stops boot instead of trusting nothing (or everything). */
const cidrList = (list: string[], ctx: z.RefinementCtx) => {
  const problems = IpAllowlist.validate(list);
  if (problems.length) ctx.addIssue({ code: z.ZodIssueCode.custom, message: problems.join('; ') });
};

const url = (protocols: string[]) =>
  z.string().refine(
    (v) => {
      try {
        return protocols.includes(new URL(v).protocol);
      } catch {
        return false;
      }
    },
    `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`,
  );

/** Connections per process to PostgreSQL, unless the worker's concurrency needs more (see {@link databasePoolSize}). */
export const DATABASE_POOL_SIZE = 10;
/**
 * Deliveries in flight per pooled connection. The worker claims and logs concurrent deliveries in
 * shared statements, so a connection is busy for a fraction of each delivery (most of which is the
 * HTTP exchange); five per connection keeps the pool ahead of the worker.
 */
export const DELIVERIES_PER_CONNECTION = 5;
/** FORWARD_CONCURRENCY when unset: what the default pool serves. */
export const DEFAULT_FORWARD_CONCURRENCY = DATABASE_POOL_SIZE * DELIVERIES_PER_CONNECTION;

/** The pool a process opens: the default, or more when FORWARD_CONCURRENCY is raised (plus two for the sweeper and periodic tasks). */
export function databasePoolSize(forwardConcurrency: number): number {
  return Math.max(DATABASE_POOL_SIZE, Math.ceil(forwardConcurrency / DELIVERIES_PER_CONNECTION) + 2);
}

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  // Where a tracker journals clicks while PostgreSQL cannot take them (docs/scaling.md); default DATA_DIR/click-journal.
  CLICK_JOURNAL_DIR: z.string().min(1).optional(),
  // Bench-only switch: `always` answers every click once journaled and writes the database behind it (bench/NOTES.md).
  CLICK_JOURNAL_MODE: z.enum(['outage', 'always']).default('outage'),
  // PostgreSQL's shared_buffers for the embedded database, in MB: its cache, and most of its memory (docs/scaling.md).
  PGLITE_SHARED_BUFFERS_MB: z.coerce.number().int().min(1).max(4096).default(16),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, _ or -')
    .default('postwire'),
  // Comma-separated host:port of Redis Cluster nodes (a few are enough, the rest are discovered); set, it replaces
  // REDIS_URL's host (REDIS_URL still gives the user, password and TLS). See docs/scaling.md.
  REDIS_CLUSTER_NODES: csv.superRefine(hostPortList),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  PAUSED_CAMPAIGN_URL: url(['http:', 'https:']).optional(),
  SECRETS_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FORWARD_RETRY_SCHEDULE: z.string().default('0,5s,5m,30m,2h,5h,10h,10h').transform(parseDurationList),
  FORWARD_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  FORWARD_ALLOW_CIDRS: csv.superRefine(cidrList),
  FORWARD_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(DEFAULT_FORWARD_CONCURRENCY),
  // Source health and alerts (docs/forwarding.md#source-health): when a source counts as failing, how often alerts are
  // checked and sent to the alert webhooks, and how long one alert about one subject stays quiet after being sent.
  SOURCE_FAILING_AFTER_FAILURES: z.coerce.number().int().min(1).max(10_000).default(5),
  SOURCE_FAILING_RATIO: z.coerce.number().gt(0).max(1).default(0.5),
  SOURCE_FAILING_MIN_ATTEMPTS: z.coerce.number().int().min(1).max(1_000_000).default(10),
  ALERT_CHECK_INTERVAL_MS: z.coerce.number().int().min(100).max(3_600_000).default(30_000),
  // A failed alert-webhook message is tried again after each of these delays, then given up (its send record says so).
  ALERT_RETRY_SCHEDULE: z.string().default('1m,5m,30m,2h').transform(parseDurationList),
  ALERT_COOLDOWN_MS: z.coerce
    .number()
    .int()
    .min(0)
    .max(7 * 86_400_000)
    .default(3_600_000),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  FORWARD_LOCK_MS: z.coerce.number().int().min(500).max(600_000).default(30_000),
  METRICS_PORT: z.coerce.number().int().min(1).max(65535).optional(),
  TRUST_PROXY: csv.superRefine(cidrList),
  // Per minute, shared across processes through Redis; 0 switches a limit off. See docs/security.md.
  RATE_LIMIT_IP_PER_MIN: z.coerce.number().int().min(0).max(100_000_000).default(1200),
  RATE_LIMIT_NETWORK_PER_MIN: z.coerce.number().int().min(0).max(100_000_000).default(6000),
  // Pixel hits recorded per click per minute, from all addresses together; beyond it the GIF is answered and nothing recorded.
  RATE_LIMIT_PIXEL_PER_CLICK_PER_MIN: z.coerce.number().int().min(0).max(100_000).default(30),
  RATE_LIMIT_EXEMPT_CIDRS: z
    .string()
    .default('127.0.0.0/8,::1/128')
    .transform((v) =>
      v.trim().toLowerCase() === 'none'
        ? []
        : v
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean),
    )
    .superRefine(cidrList),
  // Failed admin authentications per client address and window; 0 switches the limit off. See docs/security.md.
  RATE_LIMIT_ADMIN_AUTH_FAILURES: z.coerce.number().int().min(0).max(1_000_000).default(10),
  RATE_LIMIT_ADMIN_AUTH_WINDOW_SEC: z.coerce.number().int().min(1).max(86_400).default(900),
  // Slow and idle clients (docs/security.md): how long a request may take to arrive, and how many sockets may be open.
  HTTP_HEADERS_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(10_000),
  HTTP_REQUEST_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_KEEP_ALIVE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  HTTP_IDLE_TIMEOUT_MS: z.coerce.number().int().min(100).max(600_000).default(30_000),
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().min(1).max(1_000_000).default(4096),
  // Unattributed and refused postbacks, and pixel hits naming no known click, are deleted after this many days.
  POSTBACK_LOG_RETENTION_DAYS: z.coerce.number().int().min(1).max(3650).default(30),
  // Once the postback log took this many MB in a UTC day, rows that book nothing are counted instead of stored (and an alert shows).
  POSTBACK_LOG_MAX_MB_PER_DAY: z.coerce.number().int().min(1).max(1_000_000).default(1024),
  PLUGINS: csv,
  REPORT_CURRENCY: z
    .string()
    .default('USD')
    .refine((v) => /^[A-Z]{3}$/.test(v) && (Intl.supportedValuesOf('currency') as string[]).includes(v), 'must be an ISO 4217 currency code such as USD'),
  CLICK_RETENTION_DAYS: z.coerce.number().int().min(1).max(36500).optional(),
  // Reports run on their own small pool, one query at most this long, at most this many at once per process (docs/reports.md#limits).
  REPORTS_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(3),
  // Below HTTP_IDLE_TIMEOUT_MS by default, so a slow report is answered 503 report_timeout before the socket is closed on it.
  REPORT_TIMEOUT_MS: z.coerce.number().int().min(100).max(3_600_000).default(25_000),
  REPORT_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(4),
  // Parallel workers a report query may add (PostgreSQL's max_parallel_workers_per_gather on the reports' sessions): 0 keeps each report on one core, beside clicks.
  REPORT_PARALLEL_WORKERS: z.coerce.number().int().min(0).max(16).default(0),
  // Pairs of sub1 and sub2 kept exact per UTC day and ISO week in the pair grain of sub1,sub2 reports; the rest is summed as "(other)" (docs/reports.md#two-level-sub-reports).
  REPORT_PAIR_HEAD: z.coerce.number().int().min(1).max(1_000_000).default(5000),
  // A streaming read replica of DATABASE_URL that reports read; while it cannot be reached they read the primary (docs/scaling.md).
  REPORTS_DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  // Bench-only switch: off stores clicks without enrichment and rollups (reports then miss them).
  CLICK_ENRICHMENT: z.enum(['on', 'off']).default('on'),
  // Fraud scoring of clicks and conversions (docs/fraud.md); off: nothing is scored, held or rejected.
  FRAUD_SCORING: z.enum(['on', 'off']).default('on'),
  // A folder with asn-ipv4-num.csv and asn-ipv6-num.csv, read instead of the shipped @ip-location-db/asn (docs/fraud.md).
  FRAUD_ASN_DATA_DIR: z.string().min(1).optional(),
  // A scorer plugin's answer in a re-score run is waited for this long; then its signals are left out and the run says it timed out (docs/plugins.md#fraud-scorers).
  FRAUD_SCORER_TIMEOUT_MS: z.coerce.number().int().min(10).max(60_000).default(2000),
  // Scorer plugins on live traffic get a short time of their own: a click's 302 waits for its batch, a conversion's batch holds a transaction open.
  FRAUD_SCORER_INTAKE_TIMEOUT_MS: z.coerce.number().int().min(10).max(5000).default(300),
  // The built console (apps/console/dist by default), served under /console.
  CONSOLE_DIR: z.string().min(1).optional(),
  // Console accounts: session lifetime and failed sign-ins allowed per 15 minutes. See docs/security.md.
  SESSION_TTL_HOURS: z.coerce.number().int().min(1).max(8760).default(168),
  SIGN_IN_ATTEMPTS_PER_IP: z.coerce.number().int().min(1).max(100_000).default(20),
  SIGN_IN_ATTEMPTS_PER_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(5),
  // Successful sign-ins per account per 15 minutes (each makes a session), and live sessions per user (the oldest end first).
  SIGN_IN_SUCCESSES_PER_ACCOUNT: z.coerce.number().int().min(1).max(100_000).default(10),
  SESSIONS_PER_USER: z.coerce.number().int().min(1).max(1000).default(10),
  // The API keys a user made, when that user is deleted or stops being an admin: revoked at once, or expiring after some hours.
  API_KEYS_OF_LOST_ADMINS: z.enum(['revoke', 'expire']).default('revoke'),
  API_KEYS_OF_LOST_ADMINS_EXPIRE_HOURS: z.coerce.number().int().min(1).max(8760).default(24),
});

export type PostwireEnv = z.input<typeof envSchema>;

/** Every environment variable the configuration reads (the README's configuration table lists each). */
export const CONFIG_VARIABLES: readonly string[] = Object.keys(envSchema.shape);

/** The whole runtime configuration, parsed and validated once at boot. */
export interface PostwireConfig {
  port: number;
  host: string;
  /** `undefined` selects the embedded PGlite database in {@link dataDir}. */
  databaseUrl?: string;
  dataDir: string;
  /**
   * Folder of the click journal: clicks PostgreSQL could not take, fsync'd before their redirect and
   * replayed once it is back. Each tracker process writes files of its own there.
   */
  clickJournalDir: string;
  /** `outage` (default): the journal takes clicks only while PostgreSQL cannot; `always`: benchmarking the journal in front of it. */
  clickJournalMode: 'outage' | 'always';
  /** shared_buffers of the embedded PGlite database, in MB (unused with {@link databaseUrl}). */
  pgliteSharedBuffersMb: number;
  redisUrl: string;
  /**
   * Redis Cluster seed nodes; empty for a single Redis at {@link redisUrl}. With nodes, every Redis user
   * (queues, rate limits, the replay guard, sign-in throttles) connects to the cluster instead.
   */
  redisClusterNodes: ReadonlyArray<{ host: string; port: number }>;
  /** Key prefix of every BullMQ key, so several deployments can share one Redis. */
  queuePrefix: string;
  adminApiKey?: string;
  /** Key that encrypts stored secrets; unset → a key file in {@link dataDir} is made and used. */
  secretsKey?: string;
  publicUrl: string;
  /** Where a click on a paused or archived campaign without a fallback URL of its own is sent; unset: a 404 page (docs/lifecycle.md). */
  pausedCampaignUrl?: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  forwarding: {
    /** Delay before each attempt, in ms; its length is the number of attempts. */
    retryScheduleMs: number[];
    timeoutMs: number;
    allowCidrs: string[];
    concurrency: number;
    sweepIntervalMs: number;
    /**
     * BullMQ job lock, and how often workers look for jobs whose lock ran out (a worker that
     * died mid-delivery): the lock is renewed while a delivery runs, so this is only how long a
     * crashed worker's delivery waits before another worker takes it.
     */
    lockMs: number;
  };
  /** Extra plain-HTTP listener serving only `/metrics` (the worker has no other HTTP); unset = none. */
  metricsPort?: number;
  trustProxy: string[];
  /** Requests per minute on the public endpoints; 0 = no limit. */
  rateLimits: {
    ipPerMin: number;
    networkPerMin: number;
    /** Pixel hits recorded per click id per minute; 0 = no limit. */
    pixelPerClickPerMin: number;
    exemptCidrs: string[];
    /** Failed admin authentications allowed per client address in one window (then 429 until it ends); 0 = no limit. */
    adminAuthFailures: number;
    adminAuthWindowSec: number;
  };
  /** Bounds on slow and idle clients, in ms, and on open sockets. */
  http: {
    /** All request headers must have arrived within this (node `headersTimeout`). */
    headersTimeoutMs: number;
    /** The whole request, body included, must have arrived within this (`requestTimeout`). */
    requestTimeoutMs: number;
    /** A keep-alive socket idle between requests is closed after this (`keepAliveTimeout`). */
    keepAliveTimeoutMs: number;
    /** A socket with no traffic at all for this long is closed (`connectionTimeout`, socket idle timeout). */
    idleTimeoutMs: number;
    /** Sockets open at once; beyond it new connections are dropped (`server.maxConnections`). */
    maxConnections: number;
  };
  /** When a traffic source counts as failing (`sourceFailingReason` in libs/core). */
  sourceHealth: SourceHealthThresholds;
  alerts: {
    /** How often a tracker checks the alerts and sends what started or resolved to the alert webhooks. */
    checkIntervalMs: number;
    /** After an alert about one subject is sent, it is not sent again (started anew) for this long. */
    cooldownMs: number;
    /** Delays before each retry of a failed webhook message (ALERT_RETRY_SCHEDULE); given up after the last. */
    retryScheduleMs: number[];
  };
  /** Days an unattributed or refused postback-log row, or a pixel hit naming no known click, is kept. */
  postbackLogRetentionDays: number;
  /** Bytes the postback log may take per UTC day before rows that book nothing (unattributed, rejected, duplicate, ignored) are counted, not stored. */
  postbackLogMaxBytesPerDay: number;
  plugins: string[];
  fraud: {
    /** Clicks and conversions are scored against their policies; false: none is scored, held or rejected. */
    scoring: boolean;
    /** The IP-to-ASN data folder; undefined: the one shipped in `@ip-location-db/asn`. */
    asnDataDir?: string;
    /** How long a scorer plugin's answer in a re-score run is waited for before its signals are left out. */
    scorerTimeoutMs: number;
    /** How long a scorer plugin's answer on live traffic (a click's batch, a new conversion's transaction) is waited for. */
    scorerIntakeTimeoutMs: number;
  };
  reports: {
    /** Every report figure is in this currency; others are converted with the operator's rates. */
    currency: string;
    /** Clicks older than this many days are deleted by the worker; undefined = kept forever. */
    clickRetentionDays?: number;
    /** False only for benchmarking: clicks are stored bare, without enrichment and rollups. */
    clickEnrichment: boolean;
    /** Connections of the reports' own pool (PostgreSQL), apart from the pool clicks and postbacks use. */
    poolSize: number;
    /** A report query running longer is cancelled in PostgreSQL and answered 503. */
    timeoutMs: number;
    /** Reports running at once in one process; more are answered 429. */
    concurrency: number;
    /** PostgreSQL parallel workers one report query may use (0: the report runs in its own session's process only). */
    parallelWorkers: number;
    /** Pairs of sub1 and sub2 the pair grain keeps exact per day and week (the rest summed). */
    pairHead: number;
    /** A read replica of {@link PostwireConfig.databaseUrl} for reports; unset: reports read the primary. */
    databaseUrl?: string;
  };
  /** Folder of the built console; unset = apps/console/dist of this install. */
  consoleDir?: string;
  /**
   * Console sign-in: session lifetime, failed attempts allowed per 15 minutes per client address and per
   * account, successful ones per account, live sessions per user, and what happens to the API keys of a
   * user who is deleted or demoted below admin.
   */
  auth: {
    sessionTtlHours: number;
    signInPerIp: number;
    signInPerAccount: number;
    signInSuccessesPerAccount: number;
    sessionsPerUser: number;
    keysOfLostAdmins: { action: 'revoke' } | { action: 'expire'; afterHours: number };
  };
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Reads the configuration from environment variables; throws {@link ConfigError} naming each bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): PostwireConfig {
  // Empty variables (FOO=) mean "not set", as in docker-compose files with optional values.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const parsed = envSchema.safeParse(cleaned);
  if (!parsed.success) {
    throw new ConfigError(parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  }
  const e = parsed.data;
  if (e.FORWARD_RETRY_SCHEDULE.length === 0) throw new ConfigError(['FORWARD_RETRY_SCHEDULE: needs at least one attempt']);
  if (e.HTTP_HEADERS_TIMEOUT_MS > e.HTTP_REQUEST_TIMEOUT_MS)
    throw new ConfigError(['HTTP_HEADERS_TIMEOUT_MS: must not exceed HTTP_REQUEST_TIMEOUT_MS (the headers are part of the request)']);
  if (e.METRICS_PORT !== undefined && e.METRICS_PORT === e.PORT)
    throw new ConfigError(['METRICS_PORT: must differ from PORT (the main port already serves /metrics)']);
  if (e.REPORTS_DATABASE_URL && !e.DATABASE_URL)
    throw new ConfigError(['REPORTS_DATABASE_URL: a read replica needs DATABASE_URL (the embedded database has no replicas)']);
  if (e.REDIS_CLUSTER_NODES.length > 0 && !['', '/', '/0'].includes(new URL(e.REDIS_URL).pathname))
    throw new ConfigError(['REDIS_URL: a Redis Cluster has only database 0; drop the /db from REDIS_URL when REDIS_CLUSTER_NODES is set']);
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    clickJournalDir: e.CLICK_JOURNAL_DIR ?? join(e.DATA_DIR, 'click-journal'),
    clickJournalMode: e.CLICK_JOURNAL_MODE,
    pgliteSharedBuffersMb: e.PGLITE_SHARED_BUFFERS_MB,
    redisUrl: e.REDIS_URL,
    redisClusterNodes: e.REDIS_CLUSTER_NODES.map((entry) => {
      const at = entry.lastIndexOf(':');
      return { host: entry.slice(0, at).replace(/^\[|\]$/g, ''), port: Number(entry.slice(at + 1)) };
    }),
    queuePrefix: e.QUEUE_PREFIX,
    adminApiKey: e.ADMIN_API_KEY,
    secretsKey: e.SECRETS_KEY,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    pausedCampaignUrl: e.PAUSED_CAMPAIGN_URL,
    logLevel: e.LOG_LEVEL,
    forwarding: {
      retryScheduleMs: e.FORWARD_RETRY_SCHEDULE,
      timeoutMs: e.FORWARD_TIMEOUT_MS,
      allowCidrs: e.FORWARD_ALLOW_CIDRS,
      concurrency: e.FORWARD_CONCURRENCY,
      sweepIntervalMs: e.SWEEP_INTERVAL_MS,
      lockMs: e.FORWARD_LOCK_MS,
    },
    metricsPort: e.METRICS_PORT,
    trustProxy: e.TRUST_PROXY,
    rateLimits: {
      ipPerMin: e.RATE_LIMIT_IP_PER_MIN,
      networkPerMin: e.RATE_LIMIT_NETWORK_PER_MIN,
      pixelPerClickPerMin: e.RATE_LIMIT_PIXEL_PER_CLICK_PER_MIN,
      exemptCidrs: e.RATE_LIMIT_EXEMPT_CIDRS,
      adminAuthFailures: e.RATE_LIMIT_ADMIN_AUTH_FAILURES,
      adminAuthWindowSec: e.RATE_LIMIT_ADMIN_AUTH_WINDOW_SEC,
    },
    http: {
      headersTimeoutMs: e.HTTP_HEADERS_TIMEOUT_MS,
      requestTimeoutMs: e.HTTP_REQUEST_TIMEOUT_MS,
      keepAliveTimeoutMs: e.HTTP_KEEP_ALIVE_TIMEOUT_MS,
      idleTimeoutMs: e.HTTP_IDLE_TIMEOUT_MS,
      maxConnections: e.HTTP_MAX_CONNECTIONS,
    },
    sourceHealth: {
      consecutiveFailures: e.SOURCE_FAILING_AFTER_FAILURES,
      failureRatio: e.SOURCE_FAILING_RATIO,
      minAttempts: e.SOURCE_FAILING_MIN_ATTEMPTS,
    },
    alerts: { checkIntervalMs: e.ALERT_CHECK_INTERVAL_MS, cooldownMs: e.ALERT_COOLDOWN_MS, retryScheduleMs: e.ALERT_RETRY_SCHEDULE },
    postbackLogRetentionDays: e.POSTBACK_LOG_RETENTION_DAYS,
    postbackLogMaxBytesPerDay: e.POSTBACK_LOG_MAX_MB_PER_DAY * 1024 * 1024,
    plugins: e.PLUGINS,
    fraud: {
      scoring: e.FRAUD_SCORING === 'on',
      asnDataDir: e.FRAUD_ASN_DATA_DIR,
      scorerTimeoutMs: e.FRAUD_SCORER_TIMEOUT_MS,
      scorerIntakeTimeoutMs: e.FRAUD_SCORER_INTAKE_TIMEOUT_MS,
    },
    reports: {
      currency: e.REPORT_CURRENCY,
      clickRetentionDays: e.CLICK_RETENTION_DAYS,
      clickEnrichment: e.CLICK_ENRICHMENT === 'on',
      poolSize: e.REPORTS_POOL_SIZE,
      timeoutMs: e.REPORT_TIMEOUT_MS,
      concurrency: e.REPORT_CONCURRENCY,
      parallelWorkers: e.REPORT_PARALLEL_WORKERS,
      pairHead: e.REPORT_PAIR_HEAD,
      databaseUrl: e.REPORTS_DATABASE_URL,
    },
    consoleDir: e.CONSOLE_DIR,
    auth: {
      sessionTtlHours: e.SESSION_TTL_HOURS,
      signInPerIp: e.SIGN_IN_ATTEMPTS_PER_IP,
      signInPerAccount: e.SIGN_IN_ATTEMPTS_PER_ACCOUNT,
      signInSuccessesPerAccount: e.SIGN_IN_SUCCESSES_PER_ACCOUNT,
      sessionsPerUser: e.SESSIONS_PER_USER,
      keysOfLostAdmins:
        e.API_KEYS_OF_LOST_ADMINS === 'revoke' ? { action: 'revoke' } : { action: 'expire', afterHours: e.API_KEYS_OF_LOST_ADMINS_EXPIRE_HOURS },
    },
  };
}
