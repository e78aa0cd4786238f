import { Client } from 'pg';
import { PostgresServer } from './support/postgres-server';
import { ADMIN_KEY, PostwireProcess } from './support/postwire-process';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitFor } from './support/wait-until';

const DAY = 86_400_000;

interface StatsAnswer {
  totals: { clicks: number };
  database: { source: 'replica' | 'primary'; warning?: string; replicaLagSeconds?: number };
}

interface HealthAnswer {
  status: string;
  degraded?: string[];
  reports: { source: string; replica?: { up: boolean; lagSeconds?: number; lagBytes?: number; error?: string } };
}

/**
 * Reports on a real streaming read replica: a private PostgreSQL primary, a second server made from it
 * with `pg_basebackup -R` on another loopback port, and a tracker with REPORTS_DATABASE_URL pointing at
 * it. Clicks written on the primary show up in a report read from the replica; when the replica stops,
 * reports still answer, from the primary, with a warning.
 */
describe('read replica for reports', () => {
  let primary: PostgresServer;
  let replica: PostgresServer;
  let tracker: PostwireProcess;
  let setup: Setup;
  const today = new Date(Math.floor(Date.now() / DAY) * DAY);
  const range = `from=${today.toISOString()}&to=${new Date(today.getTime() + DAY).toISOString()}`;

  const stats = () =>
    getJson<StatsAnswer>(`${tracker.url}/api/reports/stats?${range}&groupBy=campaign`, { headers: { authorization: `Bearer ${ADMIN_KEY}` } }).then((r) => {
      if (r.status !== 200) throw new Error(`report answered ${r.status}: ${JSON.stringify(r.body)}`);
      return r.body;
    });
  const health = () => getJson<HealthAnswer>(`${tracker.url}/health`);

  beforeAll(async () => {
    primary = await PostgresServer.start();
    const databaseUrl = await primary.createDatabase('postwire_replicated');
    replica = await primary.startReplica();
    tracker = await PostwireProcess.start({
      entry: 'tracker',
      env: { DATABASE_URL: databaseUrl, REPORTS_DATABASE_URL: replica.databaseUrl('postwire_replicated') },
    });
    setup = await setUpCampaign(tracker, 'http://127.0.0.1:9');
  });

  afterAll(async () => {
    await tracker?.dispose();
    await replica?.dispose();
    await primary?.dispose();
  });

  it('reads clicks written on the primary from the replica, and shows its lag', async () => {
    for (let i = 0; i < 5; i++) await click(tracker, setup.campaignId, `external_id=r-${i}`);
    const report = await waitFor(
      stats,
      (r) => r.totals.clicks === 5,
      10_000,
      (r) => `report ${JSON.stringify(r)}`,
    );
    expect(report.database).toEqual({ source: 'replica', replicaLagSeconds: expect.any(Number) });
    expect(report.database.replicaLagSeconds).toBeGreaterThanOrEqual(0);

    // The report's own connections are on the replica.
    const onReplica = new Client({ connectionString: replica.databaseUrl('postwire_replicated') });
    await onReplica.connect();
    try {
      const { rows } = await onReplica.query<{ n: number }>("SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = 'postwire-reports'");
      expect(rows[0].n).toBeGreaterThan(0);
    } finally {
      await onReplica.end();
    }

    const { body } = await health();
    expect(body.status).toBe('ok');
    expect(body.reports).toEqual({ source: 'replica', replica: { up: true, lagSeconds: expect.any(Number), lagBytes: expect.any(Number) } });
  });

  it('answers from the primary with a warning while the replica is down', async () => {
    await replica.kill();
    for (let i = 0; i < 2; i++) await click(tracker, setup.campaignId, `external_id=p-${i}`);
    const report = await stats();
    expect(report.totals.clicks).toBe(7);
    expect(report.database.source).toBe('primary');
    expect(report.database.warning).toMatch(/read replica cannot be reached/);
    expect(report.database.replicaLagSeconds).toBeUndefined();

    const { status, body } = await health();
    expect(status).toBe(200);
    expect(body).toMatchObject({ status: 'degraded', degraded: ['reportsReplica'], reports: { source: 'primary', replica: { up: false } } });
    expect(tracker.output).toMatch(/the read replica cannot be reached .*; reports read the primary until it is back/);
  });
});
