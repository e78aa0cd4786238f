import { appendFileSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewClick } from '@postwire/persistence';
import { ClickJournal, STALE_AFTER_MS } from './click-journal';

/** The journal's files on a real folder: group commit, torn lines, and which leftover files a process adopts. */
describe('ClickJournal', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'postwire-journal-unit-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const click = (id: string): NewClick => ({ id, campaignId: 'c', subs: { sub1: 's' }, createdAt: new Date('2026-01-02T03:04:05.678Z') });
  const files = () => readdirSync(dir).filter((f) => f.endsWith('.clicks'));

  it('writes batches appended together in one segment, seals it, and reads them back with their dates', async () => {
    const journal = ClickJournal.open(dir);
    await Promise.all([journal.append({ rollups: true, clicks: [click('a'), click('b')] }), journal.append({ rollups: false, clicks: [click('c')] })]);
    expect(journal.unsealed).toBe(2);
    await journal.seal();
    expect(journal.unsealed).toBe(0);
    expect(journal.sealedSegments).toHaveLength(1);
    const { records, torn } = await journal.read(journal.sealedSegments[0]);
    expect(torn).toBe(0);
    expect(records.map((r) => [r.rollups, r.clicks.map((c) => c.id)])).toEqual([
      [true, ['a', 'b']],
      [false, ['c']],
    ]);
    expect(records[0].clicks[0].createdAt).toEqual(new Date('2026-01-02T03:04:05.678Z'));

    // Appends after a seal go to a new segment; removing the sealed one leaves only that.
    await journal.append({ rollups: true, clicks: [click('d')] });
    await journal.remove(journal.sealedSegments[0]);
    expect(files()).toHaveLength(1);
    await journal.close();
  });

  it('skips a torn last line, written by a crash in the middle of an append', async () => {
    const journal = ClickJournal.open(dir);
    await journal.append({ rollups: true, clicks: [click('a')] });
    await journal.seal();
    appendFileSync(journal.sealedSegments[0], '{"rollups":true,"clicks":[{"id":"b"');
    const { records, torn } = await journal.read(journal.sealedSegments[0]);
    expect(records.map((r) => r.clicks[0].id)).toEqual(['a']);
    expect(torn).toBe(1);
  });

  it('adopts files of dead processes on this host and stale files of other hosts, and leaves live ones alone', async () => {
    const host = hostname().replace(/[^A-Za-z0-9.-]/g, '-');
    const line = JSON.stringify({ rollups: true, clicks: [click('x')] }) + '\n';
    // A pid that cannot be running (above Linux's pid_max), this process's own pid from an earlier boot,
    // the test runner's parent (alive), and two other hosts: one recently touched, one stale.
    const deadHere = `${host}~4194305~aaaa~00000000.clicks`;
    const earlierBootOfThisPid = `${host}~${process.pid}~bbbb~00000000.clicks`;
    const aliveHere = `${host}~${process.ppid}~cccc~00000000.clicks`;
    const otherHostFresh = `elsewhere~1~dddd~00000000.clicks`;
    const otherHostStale = `faraway~1~eeee~00000000.clicks`;
    for (const name of [deadHere, earlierBootOfThisPid, aliveHere, otherHostFresh, otherHostStale]) writeFileSync(join(dir, name), line);
    const old = new Date(Date.now() - STALE_AFTER_MS - 5000);
    utimesSync(join(dir, otherHostStale), old, old);

    const journal = ClickJournal.open(dir);
    expect(await journal.adoptOrphans()).toBe(3);
    expect(journal.sealedSegments).toHaveLength(3);
    // Renamed to this process's own names, which it does not adopt again.
    expect(files().sort()).toEqual([aliveHere, otherHostFresh, ...journal.sealedSegments.map((p) => p.slice(dir.length + 1))].sort());
    expect(await journal.adoptOrphans()).toBe(0);
  });
});
