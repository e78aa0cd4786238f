import { createServer, type AddressInfo, type Socket } from 'node:net';
import { copyFileSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { newClickId } from '@postwire/core';
import {
  CampaignRepository,
  ClickRepository,
  migrate,
  NetworkRepository,
  OfferRepository,
  PostgresClient,
  TrafficSourceRepository,
} from '@postwire/persistence';
import type { NewClick } from '@postwire/persistence';
import { waitUntil } from '../../../../test/support/wait-until';
import { PostgresServer } from '../../../../test/support/postgres-server';
import { JournalingClickSink } from './journaling-click-sink';

/**
 * The journaling sink against a real PostgreSQL of its own that is killed (-9) and restarted:
 * batches the database cannot take are fsync'd to the journal and acknowledged, and replayed
 * exactly once when it is back, rollups included, even when a segment is replayed twice.
 */
describe('JournalingClickSink through a PostgreSQL outage', () => {
  let server: PostgresServer;
  let db: PostgresClient;
  let campaignId: string;
  let journalDir: string;

  beforeAll(async () => {
    server = await PostgresServer.start();
    db = new PostgresClient({ connectionString: await server.createDatabase('journal_test'), max: 4 });
    await migrate(db);
    const network = await new NetworkRepository(db).create({ name: 'N', slug: 'n', adapter: 'generic', adapterConfig: {}, attributionWindowDays: 30 });
    const offer = await new OfferRepository(db).create({ name: 'O', networkId: network.id, url: 'https://o.example/?c={click_id}' });
    const source = await new TrafficSourceRepository(db).create({ name: 'S', postbackUrl: 'https://s.example/pb', method: 'GET' });
    campaignId = (await new CampaignRepository(db).create({ name: 'A', trafficSourceId: source.id, offerId: offer.id })).id;
    journalDir = mkdtempSync(join(tmpdir(), 'postwire-journal-'));
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await server?.dispose();
    rmSync(journalDir, { recursive: true, force: true });
  });

  const clicks = (n: number): NewClick[] => Array.from({ length: n }, () => ({ id: newClickId(), campaignId, subs: {}, createdAt: new Date() }));
  const sinkFor = (dir: string, clickJournalMode: 'outage' | 'always' = 'outage') =>
    new JournalingClickSink(
      new ClickRepository(db),
      db,
      { clickJournalDir: dir, clickJournalMode },
      { insertDeadlineMs: 2000, retryDelayMs: { first: 50, max: 200 } },
    );
  const stored = async () => (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM clicks')).rows[0].n;
  const rolledUp = async () => (await db.query<{ n: number }>('SELECT coalesce(sum(clicks), 0)::int AS n FROM click_rollups')).rows[0].n;
  const journalFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.clicks'));

  it('journals while the database is away, replays once it is back, and a second replay doubles nothing', async () => {
    const sink = sinkFor(journalDir);
    sink.onApplicationBootstrap();
    const crashCopy = mkdtempSync(join(tmpdir(), 'postwire-journal-copy-'));
    try {
      await sink.insertMany(clicks(3));
      expect(sink.status()).toEqual({ journaling: false, journalWritable: true, journaledClicks: 0 });

      await server.kill();
      // Acknowledged while the database is down: each batch is on disk in the journal.
      await sink.insertMany(clicks(5));
      await Promise.all([sink.insertMany(clicks(4)), sink.insertMany(clicks(6))]);
      expect(sink.status()).toEqual({ journaling: true, journalWritable: true, journaledClicks: 15 });
      expect(journalFiles(journalDir).length).toBeGreaterThan(0);

      // A copy of the journal as a crash between "replayed" and "deleted" would leave it.
      for (const f of journalFiles(journalDir)) copyFileSync(join(journalDir, f), join(crashCopy, f));

      await server.up();
      await waitUntil(() => !sink.status().journaling, 20_000, 'the journal to be replayed');
      expect(await stored()).toBe(18);
      expect(await rolledUp()).toBe(18);
      expect(journalFiles(journalDir)).toEqual([]);
      await sink.insertMany(clicks(2));
      expect(await stored()).toBe(20);

      // Another process (this one's pid: a restart) adopts the leftover files and replays them again.
      const again = sinkFor(crashCopy);
      again.onApplicationBootstrap();
      await waitUntil(() => journalFiles(crashCopy).length === 0, 20_000, 'the copied journal to be adopted and replayed');
      await again.beforeApplicationShutdown();
      expect(await stored()).toBe(20);
      expect(await rolledUp()).toBe(20);
    } finally {
      await sink.beforeApplicationShutdown();
      rmSync(crashCopy, { recursive: true, force: true });
    }
  }, 60_000);

  it('with CLICK_JOURNAL_MODE=always (benchmarks) answers from the journal and writes the database behind it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'postwire-journal-always-'));
    const sink = sinkFor(dir, 'always');
    const before = await stored();
    try {
      await Promise.all([sink.insertMany(clicks(3)), sink.insertMany(clicks(4))]);
      expect(sink.status().journaling).toBe(true);
      await waitUntil(async () => (await stored()) === before + 7 && journalFiles(dir).length === 0, 20_000, 'the journal to be written behind');
      await sink.insertMany(clicks(2));
      await waitUntil(async () => (await stored()) === before + 9, 20_000, 'a later batch to be written behind');
    } finally {
      await sink.beforeApplicationShutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);

  it('journals a batch the database does not answer in time (a host that accepts and stays silent)', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as AddressInfo).port;
    const hung = new PostgresClient({ connectionString: `postgres://postgres@127.0.0.1:${port}/postgres`, max: 2, connectTimeoutMs: 60_000 });
    const dir = mkdtempSync(join(tmpdir(), 'postwire-journal-silent-'));
    const sink = new JournalingClickSink(new ClickRepository(hung), hung, { clickJournalDir: dir }, { insertDeadlineMs: 300 });
    try {
      await sink.insertMany(clicks(3));
      expect(sink.status()).toEqual({ journaling: true, journalWritable: true, journaledClicks: 3 });
      expect(journalFiles(dir)).toHaveLength(1);
    } finally {
      await sink.beforeApplicationShutdown();
      for (const socket of sockets) socket.destroy();
      await new Promise((r) => silent.close(r));
      await hung.close().catch(() => undefined);
      rmSync(dir, { recursive: true, force: true });
    }
  }, 60_000);
});
