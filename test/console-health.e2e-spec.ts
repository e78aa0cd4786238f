import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson, setUpCampaign, type Setup } from './support/scenario';
import { waitFor, waitUntil } from './support/wait-until';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ADMIN = { email: 'ops@agency.test', password: 'correct horse battery staple' };
const CLIENT = { email: 'brand@advertiser.test', password: 'client password 12345' };

/**
 * Source health, alert webhooks, retry feedback and a client's trace in headless Chromium, against
 * the built app with two local receivers: the traffic source (answering 500, later 200) and the
 * alert webhook endpoint.
 */
describe('console: failing source, alert webhooks, retry feedback, a client’s trace', () => {
  let app: PostwireProcess;
  let source: Receiver;
  let hooks: Receiver;
  let browser: Browser;
  let page: Page;
  let setup: Setup;
  let conversionId: string;

  beforeAll(async () => {
    source = await Receiver.start();
    hooks = await Receiver.start();
    app = await PostwireProcess.start({
      database: 'postgres',
      env: { FORWARD_RETRY_SCHEDULE: '0,200ms,200ms', SOURCE_FAILING_AFTER_FAILURES: '3', ALERT_CHECK_INTERVAL_MS: '250' },
    });
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    setup = await setUpCampaign(app, source.url, { postbackPath: '/pb-hidden' });
    expect((await app.api('POST', '/api/users', { ...CLIENT, role: 'client', campaignIds: [setup.campaignId] })).status).toBe(201);
    browser = await launchChromium();
    page = await (await consoleContext(browser, { viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(page, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await source?.close();
    await hooks?.close();
  });

  async function signIn(p: Page, who: { email: string; password: string }) {
    await signInInBrowser(p, app.url, who);
  }

  async function open(p: Page, path: string, heading: string) {
    await p.goto(`${app.url}/console${path}`);
    await p.getByRole('heading', { name: heading, level: 1 }).waitFor();
  }

  /**
   * axe-core on what is on the page now: no serious or critical violation. `exclude`: selectors of parts
   * this spec does not cover (the trace's status badges, whose contrast is the console-wide badge fix's).
   */
  async function accessible(p: Page, what: string, exclude: string[] = []) {
    await p.waitForTimeout(300);
    if (!(await p.evaluate('typeof window.axe'))?.toString().startsWith('object')) await p.evaluate(AXE);
    const context = JSON.stringify({ include: [['body']], exclude: exclude.map((s) => [s]) });
    const violations = await p.evaluate<Array<{ id: string; impact: string; nodes: Array<{ target: string[] }> }>>(
      `axe.run(${context}, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })))`,
    );
    expect({ what, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ what, violations: [] });
  }

  it('adds an alert webhook, tests it, and shows the failing source’s alert sent to it', async () => {
    await open(page, '/admin/alerts', 'Alert webhooks');
    await page.getByRole('textbox', { name: 'Name' }).fill('Ops channel');
    await page.getByRole('textbox', { name: 'URL' }).fill(`${hooks.url}/ops`);
    await page.getByRole('button', { name: 'Add webhook' }).click();
    await page.getByText(/Signing secret .*: copy it now/).waitFor();
    expect(await page.getByRole('textbox', { name: /Signing secret/ }).inputValue()).toMatch(/^whsec_/);
    const card = page.getByTestId('alert-webhook').filter({ hasText: 'Ops channel' });
    await card.getByRole('button', { name: 'Send test' }).click();
    await card.getByTestId('alert-webhook-test-result').getByText('Sent: the endpoint answered 200.').waitFor();
    expect(hooks.requests.filter((r) => r.url === '/ops')).toHaveLength(1);
    await accessible(page, 'alert webhooks');

    // The source answers 500: three failed attempts make it failing, and the check sends the alert.
    source.respondWith(() => ({ status: 500, body: 'down' }));
    const clickId = await click(app, setup.campaignId);
    conversionId = (await getJson<{ conversion_id: string }>(`${app.url}/postback?click_id=${clickId}&payout=10&raw_secret=abc123`)).body.conversion_id;
    await waitUntil(() => hooks.requests.some((r) => r.url === '/ops' && r.body.includes('"alert.fired"')), 60_000, 'the fired alert at the webhook');

    await open(page, '/setup/traffic-sources', 'Traffic sources');
    const row = page.getByRole('row', { name: /Push Source/ });
    await row.getByText('failing', { exact: true }).waitFor();
    await row.getByText('The last 3 delivery attempts failed').waitFor();

    await open(page, '/', 'Dashboard');
    await page.getByText(/Deliveries to Push Source are failing/).waitFor();

    await open(page, '/admin/alerts', 'Alert webhooks');
    const sent = page.getByTestId('alert-webhook-send').filter({ hasText: 'fired' });
    await sent.getByText('traffic_source_failing').waitFor();
  });

  it('says what Retry did, and the source recovers', async () => {
    source.respondWith(() => ({ status: 200, body: 'ok' }));
    await waitFor(
      async () => (await app.api<{ items: Array<{ status: string }> }>('GET', `/api/deliveries?conversionId=${conversionId}`)).body.items,
      (list) => list[0]?.status === 'dead',
      15_000,
      () => 'the delivery to give up',
    );
    await open(page, `/conversions/${conversionId}`, 'Conversion trace');
    await page.getByRole('button', { name: 'Retry now' }).click();
    await page.getByTestId('resend-outcome').getByText('The delivery is queued and goes out now').waitFor();
    await page.getByTestId('delivery-status').getByText('delivered').waitFor({ timeout: 15_000 });
    await waitUntil(() => hooks.requests.some((r) => r.url === '/ops' && r.body.includes('"alert.resolved"')), 30_000, 'the resolved alert');
    await open(page, '/setup/traffic-sources', 'Traffic sources');
    await page
      .getByRole('row', { name: /Push Source/ })
      .getByText('ok', { exact: true })
      .waitFor();
  });

  it('shows a client its trace without the source, the visitor or the raw parameters, and with them once allowed', async () => {
    const clientPage = await (await consoleContext(browser, { viewport: { width: 1440, height: 900 } })).newPage();
    await signIn(clientPage, CLIENT);
    await open(clientPage, `/conversions/${conversionId}`, 'Conversion trace');
    await clientPage.getByTestId('trace-delivery').first().waitFor();
    await clientPage.getByTestId('client-view-note').waitFor();
    const text = await clientPage.locator('main').innerText();
    for (const hidden of ['Push Source', 'pb-hidden', 'abc123', 'raw_secret', '127.0.0.1', 'User agent'])
      expect([hidden, text.includes(hidden)]).toEqual([hidden, false]);
    await clientPage.getByTestId('trace-delivery').getByText('Traffic source', { exact: false }).first().waitFor();
    await accessible(clientPage, "a client's trace", ['.mantine-Badge-root']);

    // The admin allows the source and the raw parameters on the user, in the users form.
    await open(page, '/admin/users', 'Users');
    await page.getByRole('button', { name: `Actions for ${CLIENT.email}`, exact: true }).click();
    await page.getByRole('menuitem', { name: 'Edit', exact: true }).click();
    const form = page.getByRole('dialog');
    await form.getByRole('checkbox', { name: 'Traffic-source names, postback URLs and their answers' }).check();
    await form.getByRole('checkbox', { name: 'Raw postback parameters' }).check();
    await form.getByRole('button', { name: 'Save user' }).click();
    await form.waitFor({ state: 'hidden' });

    await clientPage.reload();
    await clientPage
      .getByTestId('trace-delivery')
      .getByText(/Push Source/)
      .waitFor();
    await clientPage.getByText(/abc123/).waitFor();
    expect(await clientPage.locator('main').innerText()).not.toContain('User agent');
    await clientPage.context().close();
  });
});
