import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitFor } from './support/wait-until';

const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';
const LISTED_IP = '203.0.113.77';
const CLEAN_IP = '198.51.100.23';
const ADMIN = { email: 'scorers@agency.test', password: 'correct horse battery staple' };

type Signal = { code: string; fired: boolean; value: string; threshold: string; weight: number };
type Trace = { fraud: { verdict: string; score: number; signals: Signal[]; notes: string[] } | null };
type Report = { rows: Array<Record<string, string | number | null>> };

/**
 * The example scorer plugin `ip-reputation-file` on live traffic, on the built app: its list (a file named
 * by IP_REPUTATION_FILE) names one address; a click from it (X-Forwarded-For, from a trusted loopback
 * proxy) is stored with the plugin's reason (the fraud-reason report counts it), and a conversion of that
 * click shows the plugin's fired signal in its trace. A click from another address shows it not fired; with
 * the file gone, a conversion is still recorded and its trace (API and console) notes why the plugin did not answer.
 */
describe('fraud: scorer plugins on live clicks and conversions', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let setup: Setup;
  let browser: Browser | undefined;
  const dir = mkdtempSync(join(tmpdir(), 'postwire-ip-reputation-'));
  const list = join(dir, 'reputation.txt');

  beforeAll(async () => {
    writeFileSync(list, `# test feed\n${LISTED_IP} proxy-farm\n`);
    receiver = await Receiver.start();
    app = await PostwireProcess.start({ database: 'postgres', env: { TRUST_PROXY: '127.0.0.1/32', IP_REPUTATION_FILE: list } });
    setup = await setUpCampaign(app, receiver.url);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function click(ip: string): Promise<string> {
    const res = await fetch(`${app.url}/c/${setup.campaignId}?external_id=ext-${ip}`, {
      redirect: 'manual',
      headers: { 'user-agent': CHROME, 'x-forwarded-for': ip },
    });
    expect(res.status).toBe(302);
    return new URL(res.headers.get('location')!).searchParams.get('cid')!;
  }

  let lastConversionId = '';
  async function trace(clickId: string, txid: string): Promise<NonNullable<Trace['fraud']>> {
    const postback = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&txid=${txid}&payout=3`);
    expect(postback.body.status).toBe('accepted');
    lastConversionId = postback.body.conversion_id;
    const res = await app.api<Trace>('GET', `/api/conversions/${postback.body.conversion_id}/trace`);
    expect(res.status).toBe(200);
    return res.body.fraud!;
  }

  it("stores a click from a listed address with the plugin's reason", async () => {
    await click(LISTED_IP);
    await click(CLEAN_IP);
    const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
    const reasons = async () =>
      (await app.api<Report>('GET', `/api/reports/stats?from=${day(0)}&to=${day(1)}&groupBy=fraudReason&campaign=${setup.campaignId}`)).body.rows;
    // The rollups are written with the click, before its 302; the reports read through their own pool.
    const rows = await waitFor(
      reasons,
      (found) => found.some((r) => r.fraudReason === 'ip-reputation-file:listed'),
      10_000,
      (last) => `the plugin's reason in the fraud-reason report (last: ${JSON.stringify(last)})`,
    );
    expect(rows.find((r) => r.fraudReason === 'ip-reputation-file:listed')).toMatchObject({ clicks: 1 });
  });

  it("shows the plugin's fired signal, with the list's label, in a conversion's trace", async () => {
    const fraud = await trace(await click(LISTED_IP), 'rep-1');
    expect(fraud.signals.find((s) => s.code === 'ip-reputation-file:listed')).toMatchObject({ fired: true, weight: 60 });
    expect(fraud.signals.find((s) => s.code === 'ip-reputation-file:listed')!.value).toBe(`${LISTED_IP} in ${LISTED_IP} (proxy-farm)`);
    expect(fraud.score).toBeGreaterThanOrEqual(60);
    expect(fraud.notes).toEqual([]);
  });

  it('shows it not fired for an address off the list', async () => {
    const fraud = await trace(await click(CLEAN_IP), 'rep-2');
    expect(fraud.signals.find((s) => s.code === 'ip-reputation-file:listed')).toMatchObject({ fired: false });
  });

  it('records a conversion when the list cannot be read, judged by the rest, and its trace says why', async () => {
    rmSync(list);
    const fraud = await trace(await click(LISTED_IP), 'rep-3');
    expect(fraud.signals.map((s) => s.code)).not.toContain('ip-reputation-file:listed');
    expect(fraud.notes).toEqual([`scorer ip-reputation-file unavailable: cannot read ${list}: ENOENT`]);

    // The console's trace shows the note under the signals.
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    browser = await launchChromium();
    const page = await (await consoleContext(browser, { viewport: { width: 1280, height: 800 } })).newPage();
    await signInInBrowser(page, app.url, ADMIN);
    await page.goto(`${app.url}/console/conversions/${lastConversionId}`);
    const notes = page.getByRole('list', { name: 'Fraud scoring notes' });
    await notes.waitFor();
    expect(await notes.getByRole('listitem').allTextContents()).toEqual([`scorer ip-reputation-file unavailable: cannot read ${list}: ENOENT`]);
  }, 60_000);
});
