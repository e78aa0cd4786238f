import { newClickId } from '@postwire/core';
import { ClickRepository, PostgresClient, type NewClick } from '@postwire/persistence';
import type { Browser, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { PostwireProcess } from './support/postwire-process';

const ADMIN = { email: 'owner@agency.test', password: 'correct horse battery staple' };
const GROUPS = 10_000;
const sub1 = (i: number) => `s${String(i).padStart(5, '0')}`;

/**
 * A 10,000-row report in headless Chromium (on PostgreSQL): the table is virtualised, so only a few
 * rows are in the page, and the last one is reached by scrolling.
 *
 * The traffic is 10,000 clicks, each with its own sub1. All but the last are written in one
 * statement by the click writer's own batch (`ClickRepository.insertMany`, clicks and their report
 * rollups together, as every click through /c/ is stored): sent as 9,999 requests to /c/ of an
 * embedded app, they took about 90 s when this test was part of console.e2e, and recording clicks is
 * tested elsewhere (click-route.e2e). The last one goes through the campaign link, so the report sums both.
 */
describe('a 10,000-row report in a browser', () => {
  let app: PostwireProcess;
  let browser: Browser;
  let page: Page;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    app = await PostwireProcess.start({ database: 'postgres' });
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'Net', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', {
      name: 'Offer',
      networkId: network.body.id,
      url: 'https://offer.example/?cid={click_id}',
    });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'Src', postbackUrl: 'https://source.example/pb?e={external_id}' });
    const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', { name: 'Bulk', trafficSourceId: source.body.id, offerId: offer.body.id });
    expect(campaign.status).toBe(201);

    // Without JIT, as the app's own click pool runs (openSqlClient): with the server's JIT on, this one batch took 11 s instead of 2.
    const db = new PostgresClient({ connectionString: app.env.DATABASE_URL, max: 1, sessionSettings: { jit: 'off' } });
    try {
      const now = Date.now();
      const clicks: NewClick[] = Array.from({ length: GROUPS - 1 }, (_, i) => ({
        id: newClickId(now),
        campaignId: campaign.body.id,
        offerId: offer.body.id,
        subs: { sub1: sub1(i) },
        createdAt: new Date(now),
      }));
      await new ClickRepository(db).insertMany(clicks);
    } finally {
      await db.close();
    }
    // A click answers once it is stored.
    expect((await fetch(`${app.url}/c/${campaign.body.id}?sub1=${sub1(GROUPS - 1)}`, { redirect: 'manual' })).status).toBe(302);

    browser = await launchChromium();
    page = await (await consoleContext(browser, { viewport: { width: 1280, height: 720 } })).newPage();
    page.on('console', (message) => {
      if (/Content.Security.Policy|Refused to/i.test(message.text())) cspViolations.push(message.text());
    });
    await signInInBrowser(page, app.url, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it('renders a 10,000-row report virtualised: few rows in the page, and the last one reachable by scrolling', async () => {
    await page.goto(`${app.url}/console/reports?groupBy=sub1&sort=sub1`);
    const summary = page.getByTestId('report-page');
    await summary.waitFor({ timeout: 30_000 });
    // All of them on one page (the console asks for 10,000 rows at most): "10,001 rows, showing 1–10,000" would be one too many.
    expect(await summary.textContent()).toMatch(/^10,000 rows\./);
    const rows = page.getByTestId('report-row');
    const rendered = await rows.count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(100);
    expect(await rows.first().textContent()).toContain(sub1(0));
    await page.getByTestId('report-scroller').evaluate((el) => el.scrollTo({ top: el.scrollHeight }));
    await rows.filter({ hasText: sub1(GROUPS - 1) }).waitFor();
    expect(await rows.last().textContent()).toContain(sub1(GROUPS - 1));
    expect(await rows.filter({ hasText: sub1(0) }).count()).toBe(0);
    expect(await rows.count()).toBeLessThan(100);
    expect(cspViolations).toEqual([]);
  }, 60_000);
});
