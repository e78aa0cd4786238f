import type { Browser, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitUntil } from './support/wait-until';
import { docScreenshot } from './support/doc-screenshot';

const ADMIN = { email: 'fraud-console@agency.test', password: 'correct horse battery staple' };
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const CHROME = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

type Figures = { clicks: number; suspiciousClicks: number; suspiciousPct: string | null; botClicks: number; heldConversions: number; fraudRejected: number };

/**
 * The fraud screens in real Chromium on the built app: an operator sets a hold policy through the
 * campaign's policy form (a bad list entry refused on its own field first), bot and browser traffic
 * arrives, and the report and the campaign's fraud page show the suspicious share, the bots, the
 * reasons and the held conversions, with the review queue filtered to the campaign one click away.
 */
describe('console: campaign fraud page and policy form', () => {
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
    page = await (await consoleContext(browser, { viewport: { width: 1280, height: 1000 } })).newPage();
    await signInInBrowser(page, app.url, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
  });

  const today = () => new Date().toISOString().slice(0, 10);
  const tomorrow = () => new Date(Date.now() + 86_400_000).toISOString().slice(0, 10);
  const totals = async () =>
    (await app.api<{ totals: Figures }>('GET', `/api/reports/stats?from=${today()}&to=${tomorrow()}&groupBy=campaign&campaign=${setup.campaignId}`)).body
      .totals;

  it('sets a hold policy through the form: a bad entry is shown on its field, then the policy is saved with only what was set', async () => {
    // Reached from the campaign's row.
    await page.goto(`${app.url}/console/setup/campaigns`);
    await page.getByRole('link', { name: 'Fraud of Campaign 1' }).click();
    await page.getByRole('heading', { name: 'Fraud: Campaign 1', level: 1 }).waitFor();
    const scores = page.getByRole('region', { name: 'Scores and action' });
    await scores.getByText('Defaults').waitFor();
    await page.getByLabel('Action score').fill('60');
    await page.getByRole('textbox', { name: 'Action', exact: true }).click();
    await page.getByRole('option', { name: 'Hold for review' }).click();
    await page.getByLabel('Blocked IPs and CIDR ranges').fill('203.0.113.7\n10.0.0.1/8');
    await page.getByRole('button', { name: 'Save policy' }).click();
    // The server's 400 names blockedIps.1; the form says which line, on the field.
    await page.getByText(/^Entry 2 \(10\.0\.0\.1\/8\): /).waitFor();
    expect((await app.api<{ stored: object }>('GET', `/api/fraud/campaigns/${setup.campaignId}/policy`)).body.stored).toEqual({});

    await page.getByLabel('Blocked IPs and CIDR ranges').fill('203.0.113.7');
    await page.getByRole('button', { name: 'Save policy' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const stored = (await app.api<{ stored: object }>('GET', `/api/fraud/campaigns/${setup.campaignId}/policy`)).body.stored;
    expect(stored).toEqual({ actionScore: 60, action: 'hold', blockedIps: ['203.0.113.7'] });
    await scores.getByText('Set here: actionScore, action').waitFor();
    expect(await page.getByRole('region', { name: 'Hold expiry' }).getByText('Defaults').count()).toBe(1);
    // Each section's title once: the card's heading, not a legend of the section's own as well.
    expect(await page.getByText('Velocity and duplicates', { exact: true }).count()).toBe(1);
  });

  it('bot traffic under that policy: held, and counted as suspicious in the report and on the fraud page', async () => {
    for (const [i, userAgent] of [GOOGLEBOT, GOOGLEBOT, GOOGLEBOT, CHROME, CHROME].entries()) {
      const res = await fetch(`${app.url}/c/${setup.campaignId}?external_id=ext-${i}`, { redirect: 'manual', headers: { 'user-agent': userAgent } });
      expect(res.status).toBe(302);
      if (userAgent !== GOOGLEBOT) continue;
      const clickId = new URL(res.headers.get('location')!).searchParams.get('cid')!;
      const postback = await getJson<{ status: string }>(`${app.url}/postback?click_id=${clickId}&txid=bot-${i}&payout=3`);
      expect(postback.body.status).toBe('accepted');
    }
    // Clicks reach the reports with the writer's batch.
    await waitUntil(async () => (await totals()).clicks === 5, 30_000, 'five clicks in the report');
    expect(await totals()).toMatchObject({ clicks: 5, suspiciousClicks: 3, suspiciousPct: '0.6', botClicks: 3, heldConversions: 3, fraudRejected: 0 });
    expect(receiver.requests).toHaveLength(0);

    // The report, with the fraud columns chosen.
    await page.goto(
      `${app.url}/console/reports?range=today&groupBy=campaign&cols=clicks,suspiciousClicks,suspiciousPct,botClicks,heldConversions,fraudRejected`,
    );
    await page.getByRole('columnheader', { name: 'Suspicious %' }).waitFor();
    const row = page.getByTestId('report-row').first();
    await row.waitFor();
    expect(await row.getByRole('cell').allTextContents()).toEqual(['Campaign 1', '5', '3', '60.00 %', '3', '3', '0']);

    // The campaign's fraud page.
    await page.goto(`${app.url}/console/fraud/campaigns/${setup.campaignId}`);
    await page.getByTestId('fraud-Suspicious %').filter({ hasText: '60.00 %' }).waitFor();
    expect(await page.getByTestId('fraud-Held').textContent()).toBe('3');
    expect(await page.getByTestId('fraud-Bot clicks').textContent()).toBe('3');
    const reasons = page.getByRole('table', { name: 'Top fraud reasons' }).getByTestId('reason-row');
    await reasons.first().waitFor();
    const bot = reasons.filter({ hasText: 'bot_user_agent' });
    // Three bot clicks and their three held conversions, all under bot_user_agent.
    expect(await bot.getByRole('cell').allTextContents()).toEqual(['bot_user_agent', '3', '3', '3', '3', '3', '0']);
    expect(await page.getByTestId('time-chart').count()).toBe(2);
    await docScreenshot(page, 'campaign-fraud', { fullPage: true });

    // One click to the review queue, filtered to the campaign.
    await page.getByRole('link', { name: /Review held conversions \(3 now\)/ }).click();
    await page.getByRole('heading', { name: 'Held conversions', level: 1 }).waitFor();
    await page.getByText('Campaign 1', { exact: true }).first().waitFor();
    const held = page.getByRole('table', { name: 'Held conversions' }).getByTestId('held-row');
    await waitUntil(async () => (await held.count()) === 3, 10_000, 'three held rows');
    expect(new URL(page.url()).searchParams.get('campaignId')).toBe(setup.campaignId);
  }, 120_000);

  it('a rejection in the queue moves the figures: held down, rejected as fraud up', async () => {
    const held = page.getByRole('table', { name: 'Held conversions' }).getByTestId('held-row');
    await held
      .first()
      .getByRole('button', { name: /^Reject conversion / })
      .click();
    await page.getByRole('status').filter({ hasText: '1 decided' }).waitFor();
    expect(await totals()).toMatchObject({ heldConversions: 2, fraudRejected: 1 });
    await page.getByRole('link', { name: 'Its fraud page' }).click();
    await page.getByTestId('fraud-Rejected as fraud').filter({ hasText: '1' }).waitFor();
    expect(await page.getByTestId('fraud-Held').textContent()).toBe('2');
  });

  it('marks a held test conversion in the queue and filters test conversions in or out', async () => {
    const res = await fetch(`${app.url}/c/${setup.campaignId}?external_id=ext-test`, { redirect: 'manual', headers: { 'user-agent': GOOGLEBOT } });
    const clickId = new URL(res.headers.get('location')!).searchParams.get('cid')!;
    const tried = await app.api<{ outcome: string }>('POST', `/api/networks/${setup.networkId}/test-postback`, { clickId, payout: '3' });
    expect(tried.body.outcome).toBe('accepted');
    const api = await app.api<{ items: Array<{ isTest: boolean }> }>('GET', '/api/fraud/held?test=true');
    expect(api.body.items.map((i) => i.isTest)).toEqual([true]);

    await page.goto(`${app.url}/console/fraud/held`);
    const held = page.getByRole('table', { name: 'Held conversions' }).getByTestId('held-row');
    await waitUntil(async () => (await held.count()) === 3, 10_000, 'two real and one test conversion held');
    expect(await held.getByTestId('test-badge').count()).toBe(1);
    expect(
      await held
        .filter({ has: page.getByTestId('test-badge') })
        .getByRole('cell')
        .nth(6)
        .textContent(),
    ).toBe('3.00 USD');
    await page.getByRole('textbox', { name: 'Test items' }).click();
    await page.getByRole('option', { name: 'Only test items' }).click();
    await waitUntil(async () => (await held.count()) === 1, 10_000, 'only the test conversion');
    expect(new URL(page.url()).searchParams.get('test')).toBe('true');
    await page.getByRole('textbox', { name: 'Test items' }).click();
    await page.getByRole('option', { name: 'Hidden' }).click();
    await waitUntil(async () => (await held.count()) === 2, 10_000, 'the real ones only');
    expect(await held.getByTestId('test-badge').count()).toBe(0);
  });
});
