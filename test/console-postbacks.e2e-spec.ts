import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { PostwireProcess } from './support/postwire-process';
import { getJson } from './support/scenario';
import { waitUntil } from './support/wait-until';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ADMIN = { email: 'owner@agency.test', password: 'correct horse battery staple' };
/** More than the API's largest page (500), so the list can only be read whole by paging. */
const UNKNOWN_CLICKS = 530;

/**
 * Issue 21 §1 in real headless Chromium against the built app on PostgreSQL: the Received
 * postbacks page shows refused requests with their reasons, filters by reason, searches, shows the
 * masked parameters, and pages past 500 rows.
 */
describe('received postbacks in a browser', () => {
  let app: PostwireProcess;
  let browser: Browser;
  let page: Page;
  const rows = () => page.getByTestId('postback-row');

  /**
   * axe-core on the page as it is: no serious or critical violation. The outcome badges are left out: their
   * colours are the console palette's (rejected and refused share red), made readable by the theme itself
   * (issue 21 §6), whose own spec runs axe on every screen in both colour schemes.
   */
  async function accessible(what: string) {
    await page.waitForTimeout(300);
    if (!(await page.evaluate('typeof window.axe'))?.toString().startsWith('object')) await page.evaluate(AXE);
    const violations = await page.evaluate<Array<{ id: string; impact: string; nodes: string[] }>>(
      "axe.run({ exclude: [['.mantine-Badge-root']] }, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => n.target.join(' ') + ' ' + n.html.slice(0, 80)) })))",
    );
    expect({ what, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ what, violations: [] });
  }

  beforeAll(async () => {
    app = await PostwireProcess.start({ database: 'postgres' });
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    const keyed = await app.api<{ slug: string }>('POST', '/api/networks', { name: 'Keyed Network', slug: 'keyed', guards: { requireApiKey: true } });
    const walled = await app.api<{ slug: string }>('POST', '/api/networks', {
      name: 'Walled Network',
      slug: 'walled',
      guards: { ipAllowlist: ['203.0.113.0/24'] },
    });
    await app.api('POST', '/api/networks', { name: 'Everflow', slug: 'everflow', adapter: 'everflow' });
    expect((await getJson(`${app.url}/postback/${keyed.body.slug}?click_id=refused-key&key=wrong-secret-value`)).status).toBe(401);
    expect((await getJson(`${app.url}/postback/${walled.body.slug}?click_id=refused-ip`)).status).toBe(403);
    expect((await getJson(`${app.url}/postback/everflow?transaction_id=t&sub1=refused-param&payout=12,34`)).status).toBe(400);
    // Postbacks naming unknown clicks: each one a row (unattributed), enough for several pages.
    for (let i = 0; i < UNKNOWN_CLICKS; i += 30) {
      await Promise.all(
        Array.from({ length: Math.min(30, UNKNOWN_CLICKS - i) }, (_, j) =>
          fetch(`${app.url}/postback?click_id=unknown-${i + j}&payout=1`).then((r) => r.text()),
        ),
      );
    }
    browser = await launchChromium();
    page = await (await consoleContext(browser, { viewport: { width: 1440, height: 900 } })).newPage();
    await signInInBrowser(page, app.url, ADMIN);
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it('shows the refusals with their reasons, filters by reason and shows masked parameters', async () => {
    await page.goto(`${app.url}/console/postbacks?outcome=refused`);
    await rows().first().waitFor();
    expect(await rows().count()).toBe(3);
    expect((await page.getByTestId('postback-reason').allTextContents()).sort()).toEqual(['Bad API key', 'Bad parameter', 'IP refused']);
    await accessible('refused postbacks');

    await page.getByRole('textbox', { name: 'Reason' }).click();
    await page.getByRole('option', { name: 'Bad API key' }).click();
    await page.waitForURL(/reason=bad_key/);
    // The previous page stays on screen until the filtered one arrives.
    await waitUntil(async () => (await rows().count()) === 1, 10_000, 'the filtered page', 50);
    await rows().filter({ hasText: 'refused-key' }).waitFor();
    await rows().first().getByText('The network requires its API key').waitFor();
    await rows().first().getByRole('button', { name: 'Show' }).click();
    const details = page.getByRole('dialog');
    await details.getByText('Answered 401 to GET /postback/keyed').waitFor();
    const shown = await details.locator('pre').textContent();
    expect(shown).toContain('"key": "***"');
    expect(shown).not.toContain('wrong-secret-value');
    await accessible('the row details');
    await page.keyboard.press('Escape');

    // Reason "Bad parameter" says which parameter.
    await page.goto(`${app.url}/console/postbacks?reason=bad_parameter`);
    await rows().filter({ hasText: 'A parameter could not be read: payout' }).waitFor();
  });

  it('pages past 500 rows, and searches by click id', async () => {
    await page.goto(`${app.url}/console/postbacks?outcome=unattributed&limit=500`);
    await rows().first().waitFor();
    const status = page.getByTestId('pager-status');
    await status.filter({ hasText: `1–500 of ${UNKNOWN_CLICKS}` }).waitFor();
    expect(await rows().count()).toBe(500);
    await page.getByRole('navigation', { name: 'Received postbacks pages' }).getByRole('button', { name: 'Next' }).click();
    await page.waitForURL(/offset=500/);
    await status.filter({ hasText: `501–${UNKNOWN_CLICKS} of ${UNKNOWN_CLICKS}` }).waitFor();
    expect(await rows().count()).toBe(UNKNOWN_CLICKS - 500);
    // The oldest rows are on the last page (newest first).
    await rows().filter({ hasText: 'unknown-0' }).first().waitFor();
    await accessible('the last page');

    await page.getByRole('textbox', { name: 'Search' }).fill('unknown-17');
    await page.waitForURL(/q=unknown-17/);
    await status.filter({ hasText: '1–1 of 1' }).waitFor();
    expect(new URL(page.url()).searchParams.get('offset')).toBeNull();
    await rows().filter({ hasText: 'unknown-17' }).waitFor();
  });
});
