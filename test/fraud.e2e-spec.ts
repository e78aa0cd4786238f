import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { forwardingSettled } from './support/forwarding-settled';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitUntil } from './support/wait-until';

const ADMIN = { email: 'fraud@agency.test', password: 'correct horse battery staple' };
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

type Trace = {
  fraud: {
    verdict: string;
    score: number;
    holdState: string | null;
    signals: Array<{ code: string; fired: boolean; value: string; threshold: string }>;
  } | null;
};

/**
 * Fraud policies end to end, on the built app: a campaign with a `hold` policy receives bot traffic;
 * its conversion is held and not forwarded (a local receiver sees nothing), is released in the
 * console's review queue in real Chromium, and is then forwarded exactly once. Also: policies refused
 * with a 400 naming the field, rejection through the API, the audit log, the trace's signals.
 */
describe('fraud: hold, review, release', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let browser: Browser;
  let page: Page;
  let setup: Setup;

  beforeAll(async () => {
    receiver = await Receiver.start();
    app = await PostwireProcess.start({ database: 'postgres' });
    setup = await setUpCampaign(app, receiver.url);
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    browser = await launchChromium();
    page = await (await consoleContext(browser, { viewport: { width: 1280, height: 800 } })).newPage();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
  });

  /** A click from a crawler, then the network's postback for it; returns the conversion id. */
  async function botConversion(txid: string): Promise<string> {
    const res = await fetch(`${app.url}/c/${setup.campaignId}?external_id=ext-${txid}`, { redirect: 'manual', headers: { 'user-agent': GOOGLEBOT } });
    expect(res.status).toBe(302);
    const clickId = new URL(res.headers.get('location')!).searchParams.get('cid')!;
    const postback = await getJson<{ status: string; conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&txid=${txid}&payout=3`);
    expect(postback.body.status).toBe('accepted');
    return postback.body.conversion_id;
  }

  it('refuses a bad policy with a 400 naming the field, and an unknown campaign with a 404', async () => {
    const path = `/api/fraud/campaigns/${setup.campaignId}/policy`;
    const badIp = await app.api<{ error: string; param: string }>('PUT', path, { blockedIps: ['10.0.0.0/8', '10.0.0.1/8'] });
    expect(badIp).toMatchObject({ status: 400, body: { error: 'bad_parameter', param: 'blockedIps.1' } });
    const lookbehind = await app.api<{ param: string }>('PUT', path, { blockedUserAgents: ['(?<=x)bot'] });
    expect(lookbehind).toMatchObject({ status: 400, body: { param: 'blockedUserAgents.0' } });
    const action = await app.api<{ param: string }>('PUT', path, { action: 'allow' });
    expect(action).toMatchObject({ status: 400, body: { param: 'action' } });
    const unknown = await app.api<{ param: string }>('PUT', path, { holdDays: 3 });
    expect(unknown.status).toBe(400);
    expect((await app.api('PUT', '/api/fraud/campaigns/00000000-0000-0000-0000-000000000000/policy', {})).status).toBe(404);
    // Nothing was stored by the refusals: the campaign still has no policy of its own.
    expect((await app.api<{ stored: unknown }>('GET', path)).body.stored).toEqual({});
  });

  it('holds a bot conversion under a hold policy: stored with its reasons, not forwarded', async () => {
    const set = await app.api<{ stored: unknown; effective: { action: string; flagScore: number } }>('PUT', `/api/fraud/campaigns/${setup.campaignId}/policy`, {
      action: 'hold',
      actionScore: 60,
    });
    expect(set.status).toBe(200);
    expect(set.body.effective).toMatchObject({ action: 'hold', flagScore: 40 });
    const conversionId = await botConversion('held-1');
    // Forwarding has nothing to do for it: no delivery exists, and the receiver got nothing.
    expect(await forwardingSettled(app, { conversionId })).toEqual([]);
    expect(receiver.requests).toHaveLength(0);
    const trace = await app.api<Trace>('GET', `/api/conversions/${conversionId}/trace`);
    expect(trace.body.fraud).toMatchObject({ verdict: 'hold', holdState: 'held' });
    expect(trace.body.fraud!.signals.find((s) => s.code === 'bot_user_agent')).toMatchObject({ fired: true, threshold: 'isbot crawler list' });
    expect(trace.body.fraud!.signals.find((s) => s.code === 'ctit_too_short')).toMatchObject({ fired: true, threshold: 'min 10 s' });
  });

  it('is released in the console review queue and then forwarded exactly once', async () => {
    await signInInBrowser(page, app.url, ADMIN);
    await page.getByRole('link', { name: 'Held conversions' }).click();
    await page.getByRole('heading', { name: 'Held conversions', level: 1 }).waitFor();
    const rows = page.getByRole('table', { name: 'Held conversions' }).getByTestId('held-row');
    await rows.first().waitFor();
    expect(await rows.count()).toBe(1);
    expect(await rows.first().getByText('bot_user_agent').count()).toBe(1);
    await accessible('review queue');

    const [held] = (await app.api<{ items: Array<{ conversionId: string }> }>('GET', '/api/fraud/held')).body.items;
    await rows
      .first()
      .getByRole('button', { name: `Release conversion ${held.conversionId}` })
      .click();
    await page.getByRole('status').filter({ hasText: '1 decided' }).waitFor();
    await page.getByText('Nothing held').waitFor();

    const settled = await forwardingSettled(app, { conversionId: held.conversionId });
    expect(settled).toEqual([expect.objectContaining({ status: 'delivered' })]);
    expect(receiver.requests).toHaveLength(1);
    expect(receiver.requests[0].query.get('txid')).toBe('held-1');
    // The trace shows every signal that ran, with its value and threshold, and who released the hold.
    await page.goto(`${app.url}/console/conversions/${held.conversionId}`);
    const signals = page.getByRole('table', { name: 'Fraud signals' });
    await signals.waitFor();
    const bot = signals.getByRole('row').filter({ has: page.getByRole('cell', { name: 'bot_user_agent', exact: true }) });
    expect(await bot.getByRole('cell').allTextContents()).toEqual(['bot_user_agent', 'fired', 'matched "Google"', 'isbot crawler list', '80']);
    await page.getByText(`Hold released by ${ADMIN.email}`).waitFor();
    // Only the block this feature adds: the rest of the trace is checked with the console's own screens.
    await accessible('fraud signals in the trace', 'table[aria-label="Fraud signals"]');
    // A second release (an operator's double click, another tab) forwards nothing more.
    const again = await app.api<{ decided: string[]; skipped: string[] }>('POST', '/api/fraud/held/release', { conversionIds: [held.conversionId] });
    expect(again.body).toMatchObject({ decided: [], skipped: [held.conversionId] });
    expect(await forwardingSettled(app, { conversionId: held.conversionId })).toHaveLength(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('rejects held conversions in bulk: declined, never forwarded, in the audit log', async () => {
    const a = await botConversion('held-2');
    const b = await botConversion('held-3');
    const rejected = await app.api<{ decided: string[] }>('POST', '/api/fraud/held/reject', { conversionIds: [a, b] });
    expect(rejected.status).toBe(200);
    expect(rejected.body.decided.sort()).toEqual([a, b].sort());
    const conversion = await app.api<{ status: string }>('GET', `/api/conversions/${a}`);
    expect(conversion.body.status).toBe('declined');
    expect(await forwardingSettled(app, { conversionId: a })).toEqual([]);
    expect(receiver.requests).toHaveLength(1);
    const audit = await app.api<{ items: Array<{ action: string; entityId: string; actor: { type: string } }> }>(
      'GET',
      `/api/audit-log?action=fraud_reject&entityId=${a}`,
    );
    expect(audit.body.items).toEqual([expect.objectContaining({ action: 'fraud_reject', entityId: a, actor: expect.objectContaining({ type: 'api_key' }) })]);
    const bad = await app.api<{ param: string }>('POST', '/api/fraud/held/reject', { conversionIds: ['nope'] });
    expect(bad).toMatchObject({ status: 400, body: { param: 'conversionIds.0' } });
  });

  it("sends a known bot to the policy's safe URL, and a browser to the offer", async () => {
    const set = await app.api('PUT', `/api/fraud/campaigns/${setup.campaignId}/policy`, { botSafeUrl: 'https://safe.example/landing?c={click_id}' });
    expect(set.status).toBe(200);
    const target = async (userAgent: string) => {
      const res = await fetch(`${app.url}/c/${setup.campaignId}`, { redirect: 'manual', headers: { 'user-agent': userAgent } });
      expect(res.status).toBe(302);
      return new URL(res.headers.get('location')!);
    };
    // Campaign routes are cached for up to 5 s in each tracker process (docs/lifecycle.md).
    await waitUntil(async () => (await target(GOOGLEBOT)).host === 'safe.example', 15_000, 'the bot redirect');
    const bot = await target(GOOGLEBOT);
    expect(bot.searchParams.get('c')).toMatch(/^[0-9a-z]{30}$/);
    expect((await target(CHROME)).host).toBe('offer.example');
  });

  /** axe-core on the page as it is (or on the part `selector` names, its closest panel): no serious or critical violation. */
  async function accessible(what: string, selector?: string) {
    const scope = selector ? `document.querySelector('${selector}').closest('.mantine-Paper-root')` : 'document';
    await page.evaluate(AXE);
    const violations = await page.evaluate<Array<{ id: string; impact: string; nodes: string[] }>>(
      `axe.run(${scope}, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ')) })))`,
    );
    expect({ what, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ what, violations: [] });
  }
});
