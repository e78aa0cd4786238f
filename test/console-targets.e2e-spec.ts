import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { hashPersonalData } from '../libs/plugin-sdk/src';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { forwardingSettled } from './support/forwarding-settled';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, getJson, setUpCampaign } from './support/scenario';
import { waitUntil } from './support/wait-until';
import { docScreenshot } from './support/doc-screenshot';

const ADMIN = { email: 'targets@agency.test', password: 'correct horse battery staple' };
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

/**
 * The forwarding-target screen in real headless Chromium: a traffic source switched to the Meta Conversions API,
 * its settings (the token masked once saved), an event mapping (approved → Purchase, declined → not sent), and the
 * preview of the exact request for a real stored conversion, with the email hashed.
 */
describe('console: a Meta target with its event mapping', () => {
  let app: PostwireProcess;
  let meta: Receiver;
  let browser: Browser;
  let page: Page;
  let drop: () => Promise<void>;
  let sourceId: string;

  /** axe-core on what this screen adds (the target panel): no serious or critical violation. */
  async function accessible(what: string) {
    await page.waitForTimeout(300);
    if (!(await page.evaluate('typeof window.axe'))?.toString().startsWith('object')) await page.evaluate(AXE);
    const violations = await page.evaluate<Array<{ id: string; impact: string; nodes: string[] }>>(
      "axe.run(document.querySelector('[data-testid=source-target]'), { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + (n.failureSummary || '').slice(0, 200)) })))",
    );
    expect({ what, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ what, violations: [] });
  }

  beforeAll(async () => {
    meta = await Receiver.start();
    const database = await createPostgresDatabase();
    drop = database.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: database.url } });
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    const setup = await setUpCampaign(app, meta.url);
    sourceId = setup.trafficSourceId;
    // A real conversion to preview with: its click came from a Meta ad (fbclid) and the network sent the buyer's email.
    const clickId = await click(app, setup.campaignId, 'external_id=e-1&fbclid=IwAR-console&landing_url=https%3A%2F%2Fshop.example%2Flp');
    expect((await getJson(`${app.url}/postback?click_id=${clickId}&status=approved&payout=4.20&email=Ann%40Example.com`)).status).toBe(200);
    await forwardingSettled(app, { clickId });
    browser = await launchChromium();
    page = await (await consoleContext(browser, { viewport: { width: 1280, height: 900 } })).newPage();
    await signInInBrowser(page, app.url, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await meta?.close();
    await drop?.();
  });

  it('chooses the Meta target, maps statuses to events, and previews the request with PII hashed', async () => {
    await page.goto(`${app.url}/console/setup/traffic-sources`);
    await page.getByRole('heading', { name: 'Traffic sources', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Test & settings' }).first().click();
    const panel = page.getByTestId('source-target');
    await panel.waitFor();
    await panel.getByRole('textbox', { name: 'Target' }).click();
    await page.getByRole('option', { name: 'Meta Conversions API' }).click();
    await panel.getByRole('textbox', { name: /Pixel \(dataset\) ID/ }).fill('55443322');
    await panel.getByLabel(/Access token/).fill('EAAB-console-token');
    await panel.getByRole('textbox', { name: /API base URL/ }).fill(meta.url);
    await panel.getByRole('button', { name: 'Add rule' }).click();
    await panel.getByRole('button', { name: 'Add rule' }).click();
    await panel.getByRole('textbox', { name: 'Rule 2 status' }).click();
    await page.getByRole('option', { name: 'declined' }).click();
    await panel.getByRole('textbox', { name: 'Rule 2 event' }).click();
    await page.getByRole('option', { name: 'not sent' }).click();
    await panel.getByRole('button', { name: 'Save target' }).click();
    await panel.getByText('Saved').waitFor();
    const saved = await app.api<{ targetId: string; config: Record<string, unknown>; mapping: unknown[] }>('GET', `/api/traffic-sources/${sourceId}/target`);
    expect(saved.body).toMatchObject({
      targetId: 'meta-capi',
      config: { pixelId: '55443322', accessToken: '••••••', apiBaseUrl: meta.url },
      mapping: [
        { status: 'approved', event: 'Purchase' },
        { status: 'declined', event: null },
      ],
    });
    await waitUntil(async () => (await panel.getByLabel(/Access token/).inputValue()) === '••••••', 5000, 'the saved token is shown masked');

    const preview = page.getByTestId('target-preview');
    await preview.getByRole('textbox', { name: 'Preview the request for a conversion' }).click();
    // The conversion's payout as the rest of the console shows money: to its currency's minor units, with the currency.
    expect(await page.getByRole('option').first().textContent()).toMatch(/^approved · default goal · 4\.20 USD · [0-9a-f]{8}$/);
    await page.getByRole('option').first().click();
    await preview.getByText('Would send Purchase').waitFor();
    const body = await preview.getByTestId('target-preview-body').textContent();
    expect(body).toContain(hashPersonalData({ email: 'ann@example.com' }).email!.lowercase!);
    expect(body).not.toMatch(/ann@example/i);
    expect(body).toMatch(/"fbc": "fb\.1\.\d{13}\.IwAR-console"/);
    await accessible('the Meta target with its mapping and preview');
    // For docs/forwarding.md: the mapping and the top of the preview in view.
    await panel.getByRole('table', { name: 'Event mapping' }).scrollIntoViewIfNeeded();
    await docScreenshot(page, 'meta-target-mapping');
  });

  it('sends the version it loaded: a colleague’s change meanwhile is shown as a conflict, and Reload shows theirs', async () => {
    const panel = page.getByTestId('source-target');
    const loaded = await app.api<{ version: number; config: Record<string, unknown>; mapping: unknown[] }>('GET', `/api/traffic-sources/${sourceId}/target`);
    // A colleague changes the pixel meanwhile (an API key may leave the version out: last write wins).
    const theirs = await app.api('PUT', `/api/traffic-sources/${sourceId}/target`, {
      targetId: 'meta-capi',
      config: { ...loaded.body.config, pixelId: '99999999' },
      mapping: loaded.body.mapping,
    });
    expect(theirs.status).toBe(200);
    await panel.getByRole('textbox', { name: /Pixel \(dataset\) ID/ }).fill('11112222');
    await panel.getByRole('button', { name: 'Save target' }).click();
    const note = panel.getByTestId('stale-edit');
    await note.getByText('Changed by someone else').waitFor();
    expect((await app.api<{ config: { pixelId: string } }>('GET', `/api/traffic-sources/${sourceId}/target`)).body.config.pixelId).toBe('99999999');
    await accessible('a stale target edit');
    await note.getByRole('button', { name: 'Reload' }).click();
    await waitUntil(async () => (await panel.getByRole('textbox', { name: /Pixel \(dataset\) ID/ }).inputValue()) === '99999999', 5000, 'their pixel shown');
    await note.waitFor({ state: 'hidden' });
    await panel.getByRole('textbox', { name: /Pixel \(dataset\) ID/ }).fill('11112222');
    await panel.getByRole('button', { name: 'Save target' }).click();
    await panel.getByText('Saved').waitFor();
    expect((await app.api<{ config: { pixelId: string } }>('GET', `/api/traffic-sources/${sourceId}/target`)).body.config.pixelId).toBe('11112222');
  });
});
