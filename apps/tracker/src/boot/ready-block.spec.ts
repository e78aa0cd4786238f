import { resolve } from 'node:path';
import { describeStorage, readyBlock, rememberOneTimeSecret, takeOneTimeSecrets } from './ready-block';

describe('the "ready" block', () => {
  const embedded = { dataDir: './data', publicUrl: 'https://track.example' };

  it('names the tracker and console URLs and the embedded folder', () => {
    const block = readyBlock(embedded, []);
    expect(block).toContain('Postwire is ready.');
    expect(block).toMatch(/tracker: +https:\/\/track\.example\n/);
    expect(block).toMatch(/console: +https:\/\/track\.example\/console\/\n/);
    expect(block).toContain(`data:    embedded PGlite in ${resolve('data', 'pglite')}`);
    expect(block).not.toContain('shown this once');
  });

  it('names the PostgreSQL host and database, never the user or password', () => {
    const storage = describeStorage({ dataDir: './data', databaseUrl: 'postgres://pw:s3cret@db.internal:6543/tracking?sslmode=require' });
    expect(storage).toBe('PostgreSQL database "tracking" on db.internal:6543');
    expect(describeStorage({ dataDir: './data', databaseUrl: 'postgresql://db.internal/x' })).toBe('PostgreSQL database "x" on db.internal:5432');
  });

  it('prints each one-time secret once: taking them empties the list', () => {
    rememberOneTimeSecret('admin password', 'p4ss');
    rememberOneTimeSecret('admin API key', 'pw_admin_k');
    const secrets = takeOneTimeSecrets();
    const block = readyBlock(embedded, secrets);
    expect(block).toMatch(/admin password: +p4ss\n/);
    expect(block).toMatch(/admin API key: +pw_admin_k\n/);
    expect(block).toContain('shown this once');
    expect(block).toContain('change the password under Account › Password: https://track.example/console/account/password');
    expect(takeOneTimeSecrets()).toEqual([]);
  });

  it('points to the password screen only when it printed a password', () => {
    expect(readyBlock(embedded, [{ label: 'admin API key', value: 'k' }])).not.toContain('Account › Password');
  });
});
