import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScorerConformance } from '@postwire/plugin-sdk/testing';
import plugin from './index';
import { ipReputationFileScorer } from './ip-reputation-file.scorer';

const FIXTURE = join(__dirname, 'fixtures', 'reputation.txt');
const click = (ip: string | null) => ({ id: 'k', campaignId: 'c', at: new Date(0), ip, userAgent: null, subs: {} });
const ctx = { signal: new AbortController().signal };

runScorerConformance(ipReputationFileScorer({ path: FIXTURE }));
runScorerConformance(ipReputationFileScorer({ path: undefined }), { runs: 20 });

describe('ip-reputation-file scorer', () => {
  const scorer = ipReputationFileScorer({ path: FIXTURE });

  it('fires for an address in a listed range, with the entry and its label', async () => {
    expect(await scorer.scoreClick!(click('203.0.113.77'), ctx)).toEqual({
      outcome: 'scored',
      signals: [
        { code: 'ip-reputation-file:listed', fired: true, value: '203.0.113.77 in 203.0.113.0/24 (proxy pool)', threshold: 'operator reputation file' },
      ],
    });
    expect(await scorer.scoreClick!(click('::ffff:198.51.100.7'), ctx)).toMatchObject({ signals: [{ fired: true }] });
    expect(await scorer.scoreClick!(click('2001:db8:bad::1'), ctx)).toMatchObject({ signals: [{ fired: true }] });
  });

  it('does not fire for other addresses, and says nothing without one', async () => {
    expect(await scorer.scoreClick!(click('81.2.69.142'), ctx)).toMatchObject({ signals: [{ fired: false, value: '81.2.69.142' }] });
    expect(await scorer.scoreClick!(click(null), ctx)).toEqual({ outcome: 'not_supported' });
  });

  it('is not supported without a file, unavailable with an unreadable one', async () => {
    expect(await ipReputationFileScorer({ path: undefined }).scoreClick!(click('203.0.113.1'), ctx)).toEqual({ outcome: 'not_supported' });
    expect(await ipReputationFileScorer({ path: join(tmpdir(), 'no-such-reputation-file') }).scoreClick!(click('203.0.113.1'), ctx)).toMatchObject({
      outcome: 'unavailable',
      reason: expect.stringContaining('ENOENT'),
    });
  });

  it('reads the file again when the operator changes it, without a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ip-reputation-'));
    try {
      const path = join(dir, 'list.txt');
      copyFileSync(FIXTURE, path);
      const live = ipReputationFileScorer({ path });
      expect(await live.scoreClick!(click('192.0.2.10'), ctx)).toMatchObject({ signals: [{ fired: false }] });
      writeFileSync(path, '192.0.2.0/24 new feed entry\n');
      expect(await live.scoreClick!(click('192.0.2.10'), ctx)).toMatchObject({ signals: [{ fired: true }] });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('is what the plugin folder exports, and without IP_REPUTATION_FILE adds nothing', async () => {
    expect(plugin.scorers!.map((s) => s.id)).toEqual(['ip-reputation-file']);
    if (!process.env.IP_REPUTATION_FILE) expect(await plugin.scorers![0].scoreClick!(click('203.0.113.1'), ctx)).toEqual({ outcome: 'not_supported' });
  });
});
