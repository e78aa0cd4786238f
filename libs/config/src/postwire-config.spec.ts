import { join } from 'node:path';
import { ConfigError, databasePoolSize, formatDurations, loadConfig, parseDurations } from './postwire-config';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./data');
    expect(config.clickJournalDir).toBe(join('./data', 'click-journal'));
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.forwarding.retryScheduleMs).toEqual([0, 5000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000]);
  });

  it('treats empty variables as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).port).toBe(3000);
  });

  it.each([
    [{ PORT: 'abc' }, 'PORT'],
    [{ PORT: '70000' }, 'PORT'],
    [{ DATABASE_URL: 'mysql://x' }, 'DATABASE_URL'],
    [{ REDIS_URL: 'nope' }, 'REDIS_URL'],
    [{ REDIS_CLUSTER_NODES: '127.0.0.1' }, 'REDIS_CLUSTER_NODES'],
    [{ REPORTS_DATABASE_URL: 'postgres://replica/db' }, 'REPORTS_DATABASE_URL'],
    [{ REPORTS_DATABASE_URL: 'redis://replica', DATABASE_URL: 'postgres://primary/db' }, 'REPORTS_DATABASE_URL'],
    [{ REDIS_CLUSTER_NODES: 'a:7000,b:99999' }, 'REDIS_CLUSTER_NODES'],
    [{ REDIS_CLUSTER_NODES: 'a:7000', REDIS_URL: 'redis://x:6379/2' }, 'REDIS_URL'],
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY'],
    [{ FORWARD_RETRY_SCHEDULE: '0,5 parsecs' }, 'FORWARD_RETRY_SCHEDULE'],
    [{ ALERT_RETRY_SCHEDULE: '1m,soon' }, 'ALERT_RETRY_SCHEDULE'],
  ])('refuses %p naming %s', (env, name) => {
    let error: unknown;
    try {
      loadConfig(env);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as Error).message).toContain(name);
  });

  it('reads Redis Cluster nodes, IPv6 in brackets', () => {
    expect(loadConfig({}).redisClusterNodes).toEqual([]);
    expect(loadConfig({ REDIS_CLUSTER_NODES: 'redis-a:7000, [::1]:7001', REDIS_URL: 'redis://:pw@ignored:1/0' }).redisClusterNodes).toEqual([
      { host: 'redis-a', port: 7000 },
      { host: '::1', port: 7001 },
    ]);
  });

  it('parses lists and trims the public URL', () => {
    const config = loadConfig({ FORWARD_ALLOW_CIDRS: '127.0.0.1/32, ::1/128', PUBLIC_URL: 'https://t.example/' });
    expect(config.forwarding.allowCidrs).toEqual(['127.0.0.1/32', '::1/128']);
    expect(config.publicUrl).toBe('https://t.example');
  });
});

describe('forwarding and metrics settings', () => {
  it('defaults the lock to 30 s and leaves the metrics port off', () => {
    const config = loadConfig({});
    expect(config.forwarding.lockMs).toBe(30_000);
    expect(config.metricsPort).toBeUndefined();
  });

  it('derives the default concurrency from the pool, and grows the pool only for a larger concurrency', () => {
    expect(loadConfig({}).forwarding.concurrency).toBe(50);
    expect(databasePoolSize(50)).toBe(12);
    expect(databasePoolSize(20)).toBe(10);
    expect(databasePoolSize(200)).toBe(42);
    expect(loadConfig({ FORWARD_CONCURRENCY: '8' }).forwarding.concurrency).toBe(8);
  });

  it('reads FORWARD_LOCK_MS and METRICS_PORT', () => {
    const config = loadConfig({ FORWARD_LOCK_MS: '1500', METRICS_PORT: '9464' });
    expect(config.forwarding.lockMs).toBe(1500);
    expect(config.metricsPort).toBe(9464);
  });

  it.each([
    [{ FORWARD_LOCK_MS: '10' }, 'FORWARD_LOCK_MS'],
    [{ FORWARD_LOCK_MS: 'soon' }, 'FORWARD_LOCK_MS'],
    [{ METRICS_PORT: '0' }, 'METRICS_PORT'],
    [{ METRICS_PORT: 'x' }, 'METRICS_PORT'],
    [{ METRICS_PORT: '3000' }, 'METRICS_PORT'],
  ])('refuses %p naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe('parseDurations / formatDurations', () => {
  it('round-trips a schedule in the largest exact unit', () => {
    const parsed = parseDurations('0,300ms,5s,90s,5m,2h,1d');
    expect(parsed).toEqual({ ok: true, value: [0, 300, 5000, 90_000, 300_000, 7_200_000, 86_400_000] });
    expect(formatDurations([0, 300, 5000, 90_000, 300_000, 7_200_000, 86_400_000])).toBe('0,300ms,5s,90s,5m,2h,1d');
  });

  it('reads a bare number as seconds and refuses junk', () => {
    expect(parseDurations('10')).toEqual({ ok: true, value: [10_000] });
    expect(parseDurations('5 parsecs').ok).toBe(false);
    expect(parseDurations('').ok).toBe(false);
  });
});

describe('trusted proxies and rate limits', () => {
  it('reads the per-click pixel limit, 0 as off, and refuses a negative one naming it', () => {
    expect(loadConfig({ RATE_LIMIT_PIXEL_PER_CLICK_PER_MIN: '5' }).rateLimits.pixelPerClickPerMin).toBe(5);
    expect(loadConfig({ RATE_LIMIT_PIXEL_PER_CLICK_PER_MIN: '0' }).rateLimits.pixelPerClickPerMin).toBe(0);
    expect(() => loadConfig({ RATE_LIMIT_PIXEL_PER_CLICK_PER_MIN: '-1' })).toThrow(/RATE_LIMIT_PIXEL_PER_CLICK_PER_MIN/);
  });

  it('caps the postback log at POSTBACK_LOG_MAX_MB_PER_DAY, in bytes', () => {
    expect(loadConfig({}).postbackLogMaxBytesPerDay).toBe(1024 * 1024 * 1024);
    expect(loadConfig({ POSTBACK_LOG_MAX_MB_PER_DAY: '64' }).postbackLogMaxBytesPerDay).toBe(64 * 1024 * 1024);
    expect(() => loadConfig({ POSTBACK_LOG_MAX_MB_PER_DAY: '0' })).toThrow(/POSTBACK_LOG_MAX_MB_PER_DAY/);
  });

  it('defaults to limits that leave loopback alone', () => {
    const config = loadConfig({});
    expect(config.trustProxy).toEqual([]);
    expect(config.rateLimits).toEqual({
      ipPerMin: 1200,
      networkPerMin: 6000,
      pixelPerClickPerMin: 30,
      exemptCidrs: ['127.0.0.0/8', '::1/128'],
      adminAuthFailures: 10,
      adminAuthWindowSec: 900,
    });
  });

  it('reads the limits, 0 as off and "none" as no exemption', () => {
    const config = loadConfig({
      RATE_LIMIT_IP_PER_MIN: '0',
      RATE_LIMIT_NETWORK_PER_MIN: '30',
      RATE_LIMIT_EXEMPT_CIDRS: 'none',
      TRUST_PROXY: '10.0.0.0/8, ::1',
    });
    expect(config.rateLimits).toMatchObject({ ipPerMin: 0, networkPerMin: 30, exemptCidrs: [] });
    expect(config.trustProxy).toEqual(['10.0.0.0/8', '::1']);
  });

  it.each([
    [{ TRUST_PROXY: '10.0.0.1/8' }, 'TRUST_PROXY'],
    [{ TRUST_PROXY: '127.1' }, 'TRUST_PROXY'],
    [{ RATE_LIMIT_EXEMPT_CIDRS: 'localhost' }, 'RATE_LIMIT_EXEMPT_CIDRS'],
    [{ FORWARD_ALLOW_CIDRS: 'banana' }, 'FORWARD_ALLOW_CIDRS'],
    [{ FORWARD_ALLOW_CIDRS: '127.0.0.1/32, 10.0.0.1/8' }, 'FORWARD_ALLOW_CIDRS'],
    [{ PUBLIC_URL: 'tracker.example' }, 'PUBLIC_URL'],
    [{ RATE_LIMIT_IP_PER_MIN: '-1' }, 'RATE_LIMIT_IP_PER_MIN'],
    [{ RATE_LIMIT_NETWORK_PER_MIN: 'lots' }, 'RATE_LIMIT_NETWORK_PER_MIN'],
    [{ RATE_LIMIT_ADMIN_AUTH_FAILURES: '-1' }, 'RATE_LIMIT_ADMIN_AUTH_FAILURES'],
    [{ RATE_LIMIT_ADMIN_AUTH_WINDOW_SEC: '0' }, 'RATE_LIMIT_ADMIN_AUTH_WINDOW_SEC'],
  ])('refuses %p naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe('slow clients and retention', () => {
  it('defaults to bounded timeouts, a connection cap and 30 days of postback-log retention', () => {
    const config = loadConfig({});
    expect(config.http).toEqual({ headersTimeoutMs: 10_000, requestTimeoutMs: 30_000, keepAliveTimeoutMs: 5000, idleTimeoutMs: 30_000, maxConnections: 4096 });
    expect(config.postbackLogRetentionDays).toBe(30);
    expect(config.fraud.scorerIntakeTimeoutMs).toBe(300);
  });

  it.each([
    [{ HTTP_HEADERS_TIMEOUT_MS: '0' }, 'HTTP_HEADERS_TIMEOUT_MS'],
    [{ HTTP_HEADERS_TIMEOUT_MS: '20000', HTTP_REQUEST_TIMEOUT_MS: '10000' }, 'HTTP_HEADERS_TIMEOUT_MS'],
    [{ HTTP_KEEP_ALIVE_TIMEOUT_MS: 'forever' }, 'HTTP_KEEP_ALIVE_TIMEOUT_MS'],
    [{ HTTP_IDLE_TIMEOUT_MS: '10' }, 'HTTP_IDLE_TIMEOUT_MS'],
    [{ HTTP_MAX_CONNECTIONS: '0' }, 'HTTP_MAX_CONNECTIONS'],
    [{ POSTBACK_LOG_RETENTION_DAYS: '0' }, 'POSTBACK_LOG_RETENTION_DAYS'],
    [{ FRAUD_SCORER_INTAKE_TIMEOUT_MS: '0' }, 'FRAUD_SCORER_INTAKE_TIMEOUT_MS'],
    [{ FRAUD_SCORER_INTAKE_TIMEOUT_MS: '60000' }, 'FRAUD_SCORER_INTAKE_TIMEOUT_MS'],
    [{ FRAUD_SCORER_INTAKE_TIMEOUT_MS: 'soon' }, 'FRAUD_SCORER_INTAKE_TIMEOUT_MS'],
  ])('refuses %p naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(name);
  });
});

describe('console accounts', () => {
  it('defaults to week-long sessions, 20 failed sign-ins per address and 5 per account per 15 minutes, 10 sessions, revoked keys', () => {
    const config = loadConfig({});
    expect(config.auth).toEqual({
      sessionTtlHours: 168,
      signInPerIp: 20,
      signInPerAccount: 5,
      signInSuccessesPerAccount: 10,
      sessionsPerUser: 10,
      keysOfLostAdmins: { action: 'revoke' },
    });
    expect(loadConfig({ API_KEYS_OF_LOST_ADMINS: 'expire', API_KEYS_OF_LOST_ADMINS_EXPIRE_HOURS: '6' }).auth.keysOfLostAdmins).toEqual({
      action: 'expire',
      afterHours: 6,
    });
    expect(config.consoleDir).toBeUndefined();
    expect(loadConfig({ SESSION_TTL_HOURS: '12', SIGN_IN_ATTEMPTS_PER_ACCOUNT: '3', CONSOLE_DIR: '/srv/console' })).toMatchObject({
      auth: { sessionTtlHours: 12, signInPerAccount: 3 },
      consoleDir: '/srv/console',
    });
  });

  it.each([
    [{ SESSION_TTL_HOURS: '0' }, 'SESSION_TTL_HOURS'],
    [{ SIGN_IN_ATTEMPTS_PER_IP: 'many' }, 'SIGN_IN_ATTEMPTS_PER_IP'],
    [{ SIGN_IN_ATTEMPTS_PER_ACCOUNT: '0' }, 'SIGN_IN_ATTEMPTS_PER_ACCOUNT'],
    [{ SESSIONS_PER_USER: '0' }, 'SESSIONS_PER_USER'],
    [{ API_KEYS_OF_LOST_ADMINS: 'keep' }, 'API_KEYS_OF_LOST_ADMINS'],
  ])('stops boot on %p, naming %s', (env, name) => {
    expect(() => loadConfig(env)).toThrow(name);
  });
});
