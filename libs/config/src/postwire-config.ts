import { z } from 'zod';

/** Parses `0,5s,5m,30m,2h` into milliseconds. */
function parseDurationList(raw: string, ctx: z.RefinementCtx): number[] {
  const units: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };
  const out: number[] = [];
  for (const part of raw.split(',').map((p) => p.trim())) {
    const match = /^(\d+)(ms|s|m|h|d)?$/.exec(part);
    if (!match) {
      ctx.addIssue({ code: z.ZodIssueCode.custom, message: `"${part}" is not a duration like 0, 5s, 5m, 2h` });
      return z.NEVER;
    }
    out.push(Number(match[1]) * units[match[2] ?? 's']);
  }
  return out;
}

const csv = z
  .string()
  .optional()
  .transform((v) => (v ? v.split(',').map((s) => s.trim()).filter(Boolean) : []));

const url = (protocols: string[]) =>
  z.string().refine((v) => {
    try {
      return protocols.includes(new URL(v).protocol);
    } catch {
      return false;
    }
  }, `must be a URL starting with ${protocols.map((p) => p + '//').join(' or ')}`);

const envSchema = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOST: z.string().min(1).default('0.0.0.0'),
  DATABASE_URL: url(['postgres:', 'postgresql:']).optional(),
  DATA_DIR: z.string().min(1).default('./data'),
  REDIS_URL: url(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z.string().regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be 1-32 letters, digits, _ or -').default('postwire'),
  ADMIN_API_KEY: z.string().min(16, 'must be at least 16 characters').optional(),
  PUBLIC_URL: url(['http:', 'https:']).optional(),
  SECRETS_KEY: z
    .string()
    .regex(/^([0-9a-fA-F]{64}|[A-Za-z0-9+/_-]{43}=?)$/, 'must be 32 bytes as 64 hex characters or base64 (openssl rand -hex 32)')
    .optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  FORWARD_RETRY_SCHEDULE: z.string().default('0,5s,5m,30m,2h,5h,10h,10h').transform(parseDurationList),
  FORWARD_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(15_000),
  FORWARD_ALLOW_CIDRS: csv,
  FORWARD_CONCURRENCY: z.coerce.number().int().min(1).max(1000).default(20),
  SWEEP_INTERVAL_MS: z.coerce.number().int().min(100).max(600_000).default(5_000),
  TRUST_PROXY: csv,
  PLUGINS: csv,
});

export type PostwireEnv = z.input<typeof envSchema>;

/** The whole runtime configuration, parsed and validated once at boot. */
export interface PostwireConfig {
  port: number;
  host: string;
  /** `undefined` selects the embedded PGlite database in {@link dataDir}. */
  databaseUrl?: string;
  dataDir: string;
  redisUrl: string;
  /** Key prefix of every BullMQ key, so several deployments can share one Redis. */
  queuePrefix: string;
  adminApiKey?: string;
  /** Key that encrypts stored secrets; unset → a key file in {@link dataDir} is made and used. */
  secretsKey?: string;
  publicUrl: string;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  forwarding: {
    /** Delay before each attempt, in ms; its length is the number of attempts. */
    retryScheduleMs: number[];
    timeoutMs: number;
    allowCidrs: string[];
    concurrency: number;
    sweepIntervalMs: number;
  };
  trustProxy: string[];
  plugins: string[];
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
  return {
    port: e.PORT,
    host: e.HOST,
    databaseUrl: e.DATABASE_URL,
    dataDir: e.DATA_DIR,
    redisUrl: e.REDIS_URL,
    queuePrefix: e.QUEUE_PREFIX,
    adminApiKey: e.ADMIN_API_KEY,
    secretsKey: e.SECRETS_KEY,
    publicUrl: (e.PUBLIC_URL ?? `http://localhost:${e.PORT}`).replace(/\/+$/, ''),
    logLevel: e.LOG_LEVEL,
    forwarding: {
      retryScheduleMs: e.FORWARD_RETRY_SCHEDULE,
      timeoutMs: e.FORWARD_TIMEOUT_MS,
      allowCidrs: e.FORWARD_ALLOW_CIDRS,
      concurrency: e.FORWARD_CONCURRENCY,
      sweepIntervalMs: e.SWEEP_INTERVAL_MS,
    },
    trustProxy: e.TRUST_PROXY,
    plugins: e.PLUGINS,
  };
}
