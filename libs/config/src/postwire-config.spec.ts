import { ConfigError, loadConfig } from './postwire-config';

describe('loadConfig', () => {
  it('gives the embedded defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBeUndefined();
    expect(config.dataDir).toBe('./data');
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
    [{ ADMIN_API_KEY: 'short' }, 'ADMIN_API_KEY'],
    [{ FORWARD_RETRY_SCHEDULE: '0,5 parsecs' }, 'FORWARD_RETRY_SCHEDULE'],
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

  it('parses lists and trims the public URL', () => {
    const config = loadConfig({ FORWARD_ALLOW_CIDRS: '127.0.0.1/32, ::1/128', PUBLIC_URL: 'https://t.example/' });
    expect(config.forwarding.allowCidrs).toEqual(['127.0.0.1/32', '::1/128']);
    expect(config.publicUrl).toBe('https://t.example');
  });
});
