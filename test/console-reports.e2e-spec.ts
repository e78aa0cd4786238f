import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { consoleContext, launchChromium, signInInBrowser } from './support/browser';
import { PostwireProcess } from './support/postwire-process';
import { waitUntil } from './support/wait-until';

const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const day = (offset: number) => new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
const ADMIN = { email: 'analyst@agency.test', password: 'correct horse battery staple' };

/**
 * The report screen in headless Chromium (on PostgreSQL): a bad URL parameter shows an error with
 * a reset, the Today chart's axis is today in the report's zone, a row drills into the dimension
 * picked, and a saved report reopens from its link with its whole state.
 */
describe('console reports in a browser', () => {
  let app: PostwireProcess;
  let browser: Browser;
  let page: Page;
  let campaignId = '';

  const open = async (query: string) => {
    await page.goto(`${app.url}/console/reports${query}`);
  };
  async function accessible(what: string) {
    await page.waitForTimeout(300);
    if (!(await page.evaluate('typeof window.axe'))?.toString().startsWith('object')) await page.evaluate(AXE);
    const violations = await page.evaluate<Array<{ id: string; impact: string }>>(
      "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact })))",
    );
    expect({ what, violations: violations.filter((v) => v.impact === 'serious' || v.impact === 'critical') }).toEqual({ what, violations: [] });
  }

  beforeAll(async () => {
    app = await PostwireProcess.start({ database: 'postgres' });
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin', timeZone: 'Asia/Kathmandu' })).status).toBe(201);
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'Net', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', {
      name: 'Offer',
      networkId: network.body.id,
      url: 'https://offer.example/?cid={click_id}',
    });
    const source = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'Src', postbackUrl: 'https://source.example/pb?e={external_id}' });
    const campaign = await app.api<{ id: string }>('POST', '/api/campaigns', { name: 'Spring', trafficSourceId: source.body.id, offerId: offer.body.id });
    campaignId = campaign.body.id;
    for (const sub of ['banner', 'video']) expect((await fetch(`${app.url}/c/${campaignId}?sub1=${sub}`, { redirect: 'manual' })).status).toBe(302);
    await waitUntil(
      async () => {
        const r = await app.api<{ totals: { clicks: number } }>('GET', `/api/reports/stats?from=${day(-1)}&to=${day(2)}&groupBy=campaign`);
        return r.body.totals.clicks === 2;
      },
      10_000,
      'clicks stored',
    );
    browser = await launchChromium();
    const context = await consoleContext(browser, { viewport: { width: 1440, height: 900 } });
    page = await context.newPage();
    await signInInBrowser(page, app.url, ADMIN);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
  });

  it('shows a bad tz in a shared link as an error with a reset, not a blank page', async () => {
    await open('?tz=Mars%2FOlympus&groupBy=campaign');
    const problems = page.getByTestId('report-url-problems');
    await problems.waitFor();
    expect(await problems.textContent()).toContain('tz: "Mars/Olympus" is not a time zone');
    await accessible('report URL error');
    await page.getByRole('button', { name: 'Reset the report' }).click();
    await page.getByTestId('report-row').first().waitFor();
    expect(new URL(page.url()).searchParams.get('tz')).toBeNull();
    expect(await page.getByTestId('report-zone').textContent()).toContain('Asia/Kathmandu');
  });

  it('draws the Today chart on today’s hours in the report’s zone', async () => {
    await open('?range=today&tz=Asia%2FKolkata');
    const chart = page.locator('[data-testid="time-chart"][data-x-min]');
    await chart.waitFor();
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Kolkata', year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    const midnight = Date.parse(`${today}T00:00:00+05:30`) / 1000;
    expect(Number(await chart.getAttribute('data-x-min'))).toBe(midnight);
    expect(Number(await chart.getAttribute('data-x-max'))).toBe(midnight + 86_400);
    expect(await chart.getAttribute('aria-label')).toBe(`Clicks and conversions per hour, ${today} to ${today} in Asia/Kolkata`);
  });

  it('drills a row into the dimension the user picks', async () => {
    await open('?range=today&groupBy=campaign');
    await page.getByTestId('report-row').first().click();
    const choices = page.getByTestId('drill-choices');
    await choices.waitFor();
    await accessible('drill-down choice');
    await choices.getByRole('button', { name: 'Country' }).click();
    await page.waitForURL((url) => url.searchParams.get('groupBy') === 'country');
    expect(new URL(page.url()).searchParams.get('campaign')).toBe(campaignId);
    await page.getByRole('columnheader', { name: 'Country' }).waitFor();
  });

  it('picks filter values from suggestions: a campaign by name, a sub value seen in the range', async () => {
    await open('?range=today&groupBy=campaign');
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('textbox', { name: 'Campaign' }).fill('Spr');
    await page.getByRole('option', { name: 'Spring' }).click();
    await page.waitForURL((url) => url.searchParams.get('campaign') === campaignId);
    await page.getByRole('button', { name: 'Add filter' }).click();
    await page.getByRole('textbox', { name: 'Filter by' }).click();
    await page.getByRole('option', { name: 'Sub 1', exact: true }).click();
    await page.getByRole('textbox', { name: 'Sub 1' }).fill('ban');
    await accessible('filter picker');
    // Only values seen in the range are offered: "banner" matches, "video" does not.
    await page.getByRole('option', { name: 'banner' }).waitFor();
    expect(await page.getByRole('option', { name: 'video' }).count()).toBe(0);
    await page.getByRole('option', { name: 'banner' }).click();
    await page.waitForURL((url) => url.searchParams.get('sub1') === 'banner');
    await page.getByText('Sub 1: banner').waitFor();
  });

  it('keeps 14 columns usable at 1440 px: the table scrolls sideways and the first column stays in view', async () => {
    const cols = 'clicks,uniqueClicks,conversions,approved,pending,declined,refunded,payout,approvedPayout,pendingPayout,saleAmount,cost,profit,roi';
    await open(`?range=today&groupBy=campaign&cols=${cols}`);
    const scroller = page.getByTestId('report-scroller');
    await page.getByTestId('report-row').first().waitFor();
    expect(await page.getByRole('columnheader').count()).toBe(15);
    const first = page.getByTestId('report-row').first().getByRole('cell').first();
    const before = (await first.boundingBox())!;
    await scroller.evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await page.waitForTimeout(100);
    const scrolled = await scroller.evaluate((el) => el.scrollLeft);
    const last = (await page.getByRole('columnheader', { name: 'ROI' }).boundingBox())!;
    const box = (await scroller.boundingBox())!;
    // The last column is reachable inside the scroller, and the group name did not move.
    expect(last.x + last.width).toBeLessThanOrEqual(box.x + box.width + 1);
    expect((await first.boundingBox())!.x).toBe(before.x);
    expect(await first.textContent()).toBe('Spring');
    // 14 figures are wider than the screen: the table scrolled, and the group name held its place.
    expect(scrolled).toBeGreaterThan(0);
  });

  it('compares a sub1 × sub2 report with the previous period, on its exact figures', async () => {
    await open('?range=today&groupBy=sub1,sub2&compare=previous');
    await page.getByTestId('compare-period').waitFor();
    await page.getByRole('cell', { name: 'banner' }).waitFor();
    expect(await page.getByTestId('report-approximation').count()).toBe(0);
  });

  it('saves a report and reopens it from its link with its whole state', async () => {
    await open('?range=yesterday&groupBy=offer&compare=previous&tz=Asia%2FKolkata');
    await page.getByTestId('report-zone').getByText('Asia/Kolkata').waitFor();
    await page.getByRole('button', { name: /^Saved reports/ }).click();
    await page.getByLabel('Save this report as').fill('Offers yesterday');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const link = page.getByRole('link', { name: 'Offers yesterday' });
    await link.waitFor();
    await accessible('saved reports dialog');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/\?saved=[0-9a-f-]{36}$/);
    // A fresh visit of the link: the saved state comes back into the URL.
    await open('');
    await page.goto(new URL(href!, `${app.url}/console/reports`).toString());
    await page.waitForURL((url) => url.searchParams.get('groupBy') === 'offer');
    const params = new URL(page.url()).searchParams;
    expect(Object.fromEntries(params)).toEqual({ range: 'yesterday', groupBy: 'offer', compare: 'previous', tz: 'Asia/Kolkata' });
    expect(await page.getByRole('switch', { name: 'Compare with the previous period' }).isChecked()).toBe(true);
    await page.getByTestId('compare-period').waitFor();
  });
});
