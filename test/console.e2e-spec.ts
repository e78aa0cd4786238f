import { readFileSync } from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { waitUntil } from './support/wait-until';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { docScreenshot } from './support/doc-screenshot';

const ADMIN = { email: 'owner@agency.test', password: 'correct horse battery staple' };
const CLIENT = { email: 'client@brand.test', password: 'client password 1234' };

/**
 * The console in real headless Chromium against the built app on embedded PGlite: the first-run
 * flow an operator goes through, roles, sign-out, CSRF and the CSV export. With DOC_SCREENSHOTS=1
 * (`npm run docs:screenshots`), pictures of the main screens go to docs/screenshots/.
 */
describe('console in a browser', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let failDeliveries = false;
  const cspViolations: string[] = [];
  const state: { campaignId?: string; campaignLink?: string; conversionId?: string; otherCampaignId?: string } = {};

  beforeAll(async () => {
    receiver = await Receiver.start();
    receiver.respondWith((req) => {
      if (req.url.startsWith('/landing')) return { status: 200, body: 'landing page', headers: { 'content-type': 'text/html' } };
      return failDeliveries ? { status: 503, body: 'source is down' } : { status: 200, body: 'OK' };
    });
    app = await PostwireProcess.start();
    const made = await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' });
    expect(made.status).toBe(201);
    browser = await launchChromium();
    context = await consoleContext(browser, { viewport: { width: 1280, height: 720 }, acceptDownloads: true, reducedMotion: 'no-preference' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
  });

  const shot = (name: string, target: Page = page) => docScreenshot(target, name, { settleMs: 400 });
  const dialog = () => page.getByRole('dialog');

  async function signIn(p: Page, who: { email: string; password: string }) {
    await signInInBrowser(p, app.url, who);
  }

  it('signs in and shows the dashboard, with its empty states', async () => {
    await page.goto(`${app.url}/console/`);
    await page.waitForURL(/\/console\/sign-in/);
    await page.getByLabel('E-mail').fill(ADMIN.email);
    await page.getByLabel('Password').fill('wrong password here');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').waitFor();
    await shot('sign-in');
    await signIn(page, ADMIN);
    await page.getByText('No campaign traffic yet').waitFor();
    expect(await page.evaluate('Object.keys(localStorage).length + Object.keys(sessionStorage).length')).toBe(0);
  });

  it('creates a network, an offer, a traffic source and a campaign', async () => {
    await page.getByRole('link', { name: 'Networks' }).click();
    await page.getByText('No networks yet').waitFor();
    await page.getByRole('button', { name: 'Add network' }).first().click();
    await dialog().getByLabel('Name').fill('Acme Affiliates');
    await dialog().getByRole('button', { name: 'Create network' }).click();
    const postbackUrl = dialog().getByRole('textbox', { name: /^Postback URL/ });
    await postbackUrl.waitFor();
    expect(await postbackUrl.inputValue()).toMatch(/\/postback\/acme-affiliates\?click_id=\{click_id\}/);
    await shot('network');
    await dialog().getByRole('tab', { name: 'API keys & secrets' }).click();
    await dialog().getByRole('button', { name: 'New key' }).click();
    const shownKey = dialog().getByRole('textbox', { name: /^Postback API key/ });
    await shownKey.waitFor();
    expect(await shownKey.inputValue()).toMatch(/^pw_net_/);
    await page.keyboard.press('Escape');

    // The settings form is drawn from the chosen adapter's config schema.
    await page.getByRole('button', { name: 'Add network' }).first().click();
    await dialog()
      .getByRole('textbox', { name: /^Postback format/ })
      .click();
    await page.getByRole('option', { name: 'Everflow' }).click();
    expect(
      await dialog()
        .getByRole('textbox', { name: /^Click-id parameter/ })
        .getAttribute('placeholder'),
    ).toBe('sub1');
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Offers' }).click();
    await page.getByRole('button', { name: 'Add offer' }).first().click();
    await dialog().getByLabel('Name').fill('Summer Sale');
    await dialog().getByLabel('Offer URL').fill(`${receiver.url}/landing?cid={click_id}`);
    await dialog().getByLabel('Default payout').fill('2.50');
    await dialog().getByRole('button', { name: 'Create offer' }).click();
    await page.getByRole('cell', { name: 'Summer Sale', exact: true }).waitFor();

    // No campaign can be made before a traffic source: the empty campaigns page says what comes first.
    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByText('Add a traffic source first').waitFor();
    expect(await page.getByRole('button', { name: 'Add campaign' }).first().isDisabled()).toBe(true);

    await page.getByRole('link', { name: 'Traffic sources' }).click();
    await page.getByRole('button', { name: 'Add traffic source' }).first().click();
    await dialog().getByLabel('Name').fill('Push Ads');
    await dialog()
      .getByRole('textbox', { name: /^Postback URL/ })
      .fill(`${receiver.url}/pb?ext={external_id}&payout={payout}&status={status}`);
    await dialog().getByRole('button', { name: 'Create traffic source' }).click();
    // The request is shown first, every macro filled with a sample value, then sent.
    await dialog().getByRole('button', { name: 'Show the request' }).click();
    const request = page.getByTestId('test-delivery-request');
    await request.waitFor();
    expect(await request.textContent()).toContain('ext=test-external-id');
    await dialog().getByRole('button', { name: 'Send test delivery' }).click();
    const answer = page.getByTestId('test-delivery-result');
    await answer.waitFor();
    expect(await answer.textContent()).toContain('The source accepted it (HTTP 200)');
    await shot('traffic-source-test-delivery');
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Campaigns' }).click();
    await page.getByRole('button', { name: 'Add campaign' }).first().click();
    await dialog().getByLabel('Name').fill('Summer Push');
    await dialog().getByRole('button', { name: 'Create campaign' }).click();
    const link = page.getByRole('textbox', { name: /^Campaign link/ });
    await link.waitFor();
    await page.getByRole('button', { name: 'Copy Campaign link' }).click();
    const copied = await page.evaluate<string>('navigator.clipboard.readText()');
    expect(copied).toBe(await link.inputValue());
    expect(copied).toMatch(/\/c\/[0-9a-f-]{36}\?external_id=\{your_click_id_macro\}$/);
    state.campaignLink = copied;
    state.campaignId = /\/c\/([0-9a-f-]{36})/.exec(copied)![1];
    await shot('campaigns');
    // The new campaign opens straight into its details drawer; close it before leaving the screen.
    await page.keyboard.press('Escape');
    await link.waitFor({ state: 'hidden' });
  });

  /** Opens the campaign link as a visitor would and returns the click id the offer received. */
  async function clickThrough(externalId: string): Promise<string> {
    const visitor = await context.newPage();
    await visitor.goto(state.campaignLink!.replace('{your_click_id_macro}', externalId));
    const cid = new URL(visitor.url()).searchParams.get('cid');
    await visitor.close();
    expect(cid).toMatch(/^[0-9a-z]{30}$/);
    return cid!;
  }

  it('opens the campaign link (a click), sends a test postback and a real one, and sees the real conversion in the report and its trace', async () => {
    const clickId = await clickThrough('push-1');
    await page.getByRole('link', { name: 'Networks' }).click();
    await page.getByRole('button', { name: 'Postback URL, test & keys' }).click();
    await dialog()
      .getByRole('textbox', { name: /^Click id/ })
      .fill(clickId);
    await dialog().getByRole('button', { name: 'Send test postback' }).click();
    const result = page.getByTestId('test-postback-result');
    await result.waitFor();
    expect(await result.textContent()).toContain('Outcome: accepted');
    expect(await result.textContent()).toContain('Guards: passed');
    await page.keyboard.press('Escape');
    // A test conversion is in no report; the network's own postback for the click is.
    expect((await fetch(`${app.url}/postback?click_id=${clickId}&payout=1`)).status).toBe(200);

    await page.goto(`${app.url}/console/reports?groupBy=campaign`);
    const row = page.getByTestId('report-row').filter({ hasText: 'Summer Push' });
    await row.waitFor();
    const cells = await row.getByRole('cell').allTextContents();
    expect(cells).toEqual(expect.arrayContaining(['Summer Push', '1', '1.00 USD']));
    await page.getByTestId('report-totals').waitFor();
    expect(await page.getByTestId('report-zone').textContent()).toContain('UTC');
    await page.locator('.uplot canvas').first().waitFor();
    await shot('reports');

    await page.getByRole('link', { name: 'Conversions', exact: true }).click();
    await page.getByTestId('conversion-row').first().getByRole('link', { name: 'Open trace' }).click();
    await page.getByRole('heading', { name: 'Conversion trace' }).waitFor();
    state.conversionId = page.url().split('/').pop();
    await page.getByTestId('timeline-click').waitFor();
    // The click's postbacks: the test one and the network's own.
    await page.getByTestId('timeline-postback').first().waitFor();
    await page.getByTestId('delivery-attempt').first().waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('trace-postback').first().textContent()).toContain('guards passed');
    await shot('conversion-trace');
  });

  it('makes a delivery fail against the local receiver, then retries it from the trace', async () => {
    failDeliveries = true;
    const clickId = await clickThrough('push-2');
    const test = await app.api<{ conversionId: string }>(
      'POST',
      `/api/networks/${(await app.api<Array<{ id: string }>>('GET', '/api/networks')).body[0].id}/test-postback`,
      { clickId, forward: true },
    );
    await page.goto(`${app.url}/console/conversions/${test.body.conversionId}`);
    const attempt = page.getByTestId('delivery-attempt').first();
    await attempt.waitFor({ timeout: 20_000 });
    expect(await attempt.textContent()).toContain('503');
    expect(await attempt.textContent()).toContain('source is down');
    failDeliveries = false;
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.getByTestId('delivery-status').filter({ hasText: 'delivered' }).waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('delivery-attempt').count()).toBeGreaterThanOrEqual(2);
    await shot('delivery-retried');
  });

  it('exports the report as CSV', async () => {
    await page.goto(`${app.url}/console/reports?groupBy=campaign`);
    await page.getByTestId('report-row').first().waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export CSV' }).click()]);
    const csv = readFileSync((await download.path())!, 'utf8');
    const [header, first] = csv.trim().split(/\r?\n/);
    expect(header.split(',')).toEqual(expect.arrayContaining(['campaign', 'campaignName', 'clicks', 'conversions', 'payout']));
    expect(first).toContain('Summer Push');
  });

  it("opens a campaign's Update cost dialog and previews its forwarding rules on a real conversion", async () => {
    await page.getByRole('link', { name: 'Campaigns' }).click();
    // A campaign's costs and forwarding rules are in its details drawer, opened by the row's "Link".
    await page
      .getByRole('row', { name: /Summer Push/ })
      .getByRole('button', { name: 'Link', exact: true })
      .click();
    const details = page.getByRole('dialog', { name: 'Summer Push', exact: true });
    await details.getByRole('button', { name: 'Costs & forwarding rules' }).click();
    await details.getByRole('button', { name: 'Update cost' }).click();
    const cost = page.getByRole('dialog', { name: 'Update cost: Summer Push' });
    await cost.getByLabel('From', { exact: true }).fill('2026-01-01T00:00');
    await cost.getByLabel('To', { exact: true }).fill('2026-01-02T00:00');
    await cost.getByLabel('Amount', { exact: true }).fill('12,5');
    await cost.getByRole('button', { name: 'Show what it replaces' }).click();
    // No clicks in that range: the refusal names the field, and nothing can be applied.
    await cost.getByText(/no clicks in \[from, to\)/).waitFor();
    expect(await cost.getByRole('button', { name: 'Apply' }).isDisabled()).toBe(true);
    await shot('campaign-update-cost');
    await page.keyboard.press('Escape');
    await cost.waitFor({ state: 'hidden' });

    const rules = page.getByTestId('campaign-forwarding-rules').first();
    await rules.getByRole('textbox', { name: 'Statuses sent' }).click();
    await page.getByRole('option', { name: 'pending' }).click();
    await page.keyboard.press('Escape');
    await rules.getByRole('textbox', { name: 'Preview with a conversion' }).click();
    await page.getByRole('option').filter({ hasText: 'approved' }).first().click();
    await rules.getByText('Would not be sent: status "approved" is not among the statuses forwarded').waitFor();
    expect(await rules.getByTestId('preview-url').textContent()).toContain('/pb?ext=');
    await shot('campaign-forwarding-rules');
    // Saved with the campaign's version as the editor read it: a console session must send one (400 otherwise).
    const [saved] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PUT' && r.url().endsWith('/forwarding-rules')),
      rules.getByRole('button', { name: 'Save campaign rules' }).click(),
    ]);
    expect(saved.status()).toBe(200);
    await page.keyboard.press('Escape');
    await details.waitFor({ state: 'hidden' });
  });

  it('shows received postbacks and deliveries, and the dashboard on a phone', async () => {
    await page.getByRole('link', { name: 'Received postbacks' }).click();
    await page.getByTestId('postback-row').first().waitFor();
    await shot('postbacks');
    await page.getByRole('link', { name: 'Deliveries' }).click();
    await page.getByTestId('delivery-row').first().waitFor();
    await shot('deliveries');
    await page.getByRole('link', { name: 'Dashboard' }).click();
    await page.getByRole('table', { name: 'Today totals' }).waitFor();
    await page.locator('.uplot canvas').first().waitFor();
    await page.getByRole('cell', { name: 'Summer Push' }).waitFor();
    await shot('dashboard');
    const phone = await consoleContext(browser, { viewport: { width: 390, height: 844 }, isMobile: true });
    const phonePage = await phone.newPage();
    await signIn(phonePage, ADMIN);
    await phonePage.getByRole('table', { name: 'Today totals' }).waitFor();
    await phonePage.locator('.uplot canvas').first().waitFor();
    const overflow = await phonePage.evaluate<number>('document.documentElement.scrollWidth - window.innerWidth');
    expect(overflow).toBeLessThanOrEqual(0);
    await shot('dashboard-phone', phonePage);
    await phone.close();
  });

  it('drills down, sorts, chooses columns and remembers the time zone, all in the URL', async () => {
    await page.goto(`${app.url}/console/reports?groupBy=campaign,day`);
    await page.getByTestId('report-row').filter({ hasText: 'Summer Push' }).click();
    // A row asks what to drill into; the next grouping level is offered first.
    await page.getByTestId('drill-choices').getByRole('button', { name: 'Day', exact: true }).click();
    await page.waitForURL(/campaign=[0-9a-f-]{36}/);
    expect(new URL(page.url()).searchParams.get('groupBy')).toBe('day');
    await page.getByRole('button', { name: /Remove filter Campaign/ }).waitFor();
    await page.getByRole('button', { name: 'Clicks' }).click();
    await page.waitForURL(/sort=/);
    expect(new URL(page.url()).searchParams.get('sort')).toMatch(/^-?clicks$/);
    await page.getByRole('button', { name: 'Columns' }).click();
    await page.getByRole('checkbox', { name: 'EPC' }).click();
    await page.waitForURL(/cols=/);
    expect(new URL(page.url()).searchParams.get('cols')).not.toContain('epc');
    await page.keyboard.press('Escape');

    const zone = page.getByRole('textbox', { name: 'Time zone' });
    await zone.click();
    await zone.fill('Europe/Berlin');
    await page.getByRole('option', { name: 'Europe/Berlin' }).click();
    await page.waitForURL(/tz=Europe%2FBerlin/);
    await page.getByTestId('report-zone').filter({ hasText: 'Europe/Berlin' }).waitFor();
    const zoneOfMe = () => page.evaluate(async () => ((await (await fetch('/api/auth/me')).json()) as { user: { timeZone: string } }).user.timeZone);
    await waitUntil(async () => (await zoneOfMe()) === 'Europe/Berlin', 10_000, 'the time zone saved as a preference');
    await page.goto(`${app.url}/console/`);
    await page.getByText('Days in Europe/Berlin').waitFor();
  });

  it('refuses a write without the CSRF token', async () => {
    const answer = await page.evaluate(async () => {
      const res = await fetch('/api/networks', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'Forged', adapter: 'generic' }),
      });
      return { status: res.status, body: (await res.json()) as { error: string } };
    });
    expect(answer).toEqual({ status: 403, body: expect.objectContaining({ error: 'csrf_token_invalid' }) });
    expect((await app.api<Array<{ name: string }>>('GET', '/api/networks')).body.map((n) => n.name)).not.toContain('Forged');
  });

  it('runs under the Content-Security-Policy without a violation', () => {
    expect(cspViolations).toEqual([]);
  });

  it('lets the admin make a client account that sees one campaign without profit', async () => {
    const own = (await app.api<Array<{ id: string; name: string; trafficSourceId: string; offerId: string }>>('GET', '/api/campaigns')).body[0];
    const other = await app.api<{ id: string }>('POST', '/api/campaigns', { name: 'Not Yours', trafficSourceId: own.trafficSourceId, offerId: own.offerId });
    state.otherCampaignId = other.body.id;
    await page.getByRole('link', { name: 'Users' }).click();
    await page.getByRole('cell', { name: ADMIN.email, exact: true }).waitFor();
    await page.getByRole('button', { name: 'Add user' }).click();
    await dialog().getByLabel('E-mail').fill(CLIENT.email);
    await dialog().getByLabel('Password').fill(CLIENT.password);
    await dialog()
      .getByRole('textbox', { name: /^Campaigns this client sees/ })
      .click();
    await page.getByRole('option', { name: 'Summer Push' }).click();
    // A multi-select keeps its list open; moving the focus closes it.
    await dialog().getByLabel('E-mail').click();
    await dialog().getByRole('checkbox', { name: 'Hide cost, profit and ROI' }).check();
    await dialog().getByRole('button', { name: 'Create user' }).click();
    await page.getByRole('cell', { name: CLIENT.email, exact: true }).waitFor();
    const users = await app.api<Array<{ email: string; role: string; campaignIds: string[]; hideProfit: boolean }>>('GET', '/api/users');
    expect(users.body.find((u) => u.email === CLIENT.email)).toMatchObject({ role: 'client', campaignIds: [own.id], hideProfit: true });
    await shot('users');
  });

  it("lists the user's own sessions, ends another one, and signs out everywhere", async () => {
    const roamer = { email: 'roamer@agency.test', password: 'roaming password 1234' };
    expect((await app.api('POST', '/api/users', { ...roamer, role: 'manager' })).status).toBe(201);
    const contexts = [await consoleContext(browser), await consoleContext(browser)];
    try {
      const [laptop, phone] = await Promise.all(contexts.map((c) => c.newPage()));
      await signIn(laptop, roamer);
      await signIn(phone, roamer);
      await laptop.getByRole('link', { name: 'Sessions' }).click();
      await laptop.getByRole('heading', { name: 'Sessions' }).waitFor();
      const table = laptop.getByRole('table', { name: 'Sessions' });
      await table.getByText('this one').waitFor();
      expect(await table.getByRole('row').count()).toBe(3);
      await table.getByRole('button', { name: 'End session' }).click();
      await waitUntil(async () => (await table.getByRole('row').count()) === 2, 5000, 'the ended session leaves the list');
      await phone.reload();
      await phone.waitForURL(/\/console\/sign-in/);
      await laptop.getByRole('button', { name: 'Sign out everywhere' }).click();
      await laptop.waitForURL(/\/console\/sign-in/);
      expect(await laptop.evaluate(async () => (await fetch('/api/auth/me')).status)).toBe(401);
    } finally {
      for (const c of contexts) await c.close();
    }
  });

  it('signs out', async () => {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(/\/console\/sign-in/);
    const me = await page.evaluate(async () => (await fetch('/api/auth/me')).status);
    expect(me).toBe(401);
  });

  it('shows a client only its campaigns, without cost or profit, and refuses admin pages and routes', async () => {
    const own = (await app.api<Array<{ id: string; name: string }>>('GET', '/api/campaigns')).body.find((c) => c.name === 'Summer Push')!;

    await signIn(page, CLIENT);
    expect(await page.getByRole('link', { name: 'Networks' }).count()).toBe(0);
    expect(await page.getByText('Profit').count()).toBe(0);
    await shot('client-dashboard');

    await page.goto(`${app.url}/console/setup/networks`);
    await page.getByText('Not available to your account').waitFor();
    await page.goto(`${app.url}/console/admin/users`);
    await page.getByText('Not available to your account').waitFor();

    await page.goto(`${app.url}/console/conversions`);
    await page.getByTestId('conversion-row').first().waitFor();
    expect(await page.getByText('Not Yours').count()).toBe(0);

    const api = await page.evaluate(
      async ({ otherId }) => {
        const status = async (path: string, init?: RequestInit) => (await fetch(path, init)).status;
        return {
          networks: await status('/api/networks'),
          users: await status('/api/users'),
          otherCampaign: await status(`/api/campaigns/${otherId}`),
          write: await status('/api/networks', { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"name":"x"}' }),
          campaigns: (await (await fetch('/api/campaigns')).json()) as Array<{ id: string; costModel?: string }>,
        };
      },
      { otherId: state.otherCampaignId },
    );
    expect(api.networks).toBe(403);
    expect(api.users).toBe(403);
    expect([403, 404]).toContain(api.otherCampaign);
    expect(api.write).toBe(403);
    expect(api.campaigns.map((c) => c.id)).toEqual([own.id]);
    expect(api.campaigns[0]).not.toHaveProperty('costModel');
  });
});
