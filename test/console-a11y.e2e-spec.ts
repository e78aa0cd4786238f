import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { consoleContext, launchChromium, showConsoleScreen } from './support/browser';
import { PostwireProcess } from './support/postwire-process';
import { Receiver } from './support/receiver';
import { click, setUpCampaign } from './support/scenario';
import { waitUntil } from './support/wait-until';
import { docScreenshot } from './support/doc-screenshot';

const ADMIN = { email: 'a11y@agency.test', password: 'correct horse battery staple' };
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
const ROUTES_FILE = join(__dirname, '..', 'apps', 'console', 'src', 'routes.ts');

/**
 * The paths of the console's route table (apps/console/src/routes.ts), read from its source so a screen
 * added there is visited here without a change to this file. A path with a parameter needs an address
 * in `addresses` below, or the test says which one is missing.
 */
function routePaths(): string[] {
  const source = readFileSync(ROUTES_FILE, 'utf8');
  const table = source.slice(source.indexOf('export const SCREENS'), source.indexOf('];', source.indexOf('export const SCREENS')));
  const paths = [...table.matchAll(/path: '([^']+)'/g)].map((m) => m[1]);
  // Every screen has exactly one lazily loaded component: the count proves the regular expression missed none.
  expect(paths).toHaveLength([...table.matchAll(/component: lazy\(/g)].length);
  return paths;
}

type Violation = { id: string; impact: string; nodes: Array<{ target: string[]; summary?: string }> };

/**
 * The console as a keyboard and screen-reader user and a phone's data plan meet it, in real Chromium against
 * the built app on PostgreSQL: every screen of the route table passes axe-core (no serious or critical violation,
 * contrast included) in light mode, and its colour rules in dark mode, with data in its tables and badges, and has its own title;
 * dark mode follows the OS and the shell's switch, which is remembered; a skip link leads past the navigation;
 * sort headers are reached by Tab, turned by Enter and Space, and ringed; the static files come compressed
 * and cached, and the dashboard's first load is measured in bytes over the wire.
 */
describe('console accessibility, colour schemes and delivery in a browser', () => {
  let app: PostwireProcess;
  let receiver: Receiver;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let conversionId: string;
  let campaignId: string;

  beforeAll(async () => {
    receiver = await Receiver.start();
    // The source refuses: its deliveries fail and retry, so the delivery and trace badges show those states.
    receiver.respondWith(() => ({ status: 503, body: 'source is down' }));
    app = await PostwireProcess.start({ database: 'postgres' });
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    expect((await app.api('POST', '/api/users', { email: 'client@brand.test', password: 'client password 1234', role: 'client' })).status).toBe(201);
    expect((await app.api('POST', '/api/api-keys', { scope: 'read', label: 'dashboards' })).status).toBe(201);
    expect((await app.api('PUT', '/api/currency-rates', { rates: [{ currency: 'EUR', day: '2026-01-01', rate: '1.08' }] })).status).toBeLessThan(300);
    const setup = await setUpCampaign(app, receiver.url);
    campaignId = setup.campaignId;
    const accepted = await click(app, setup.campaignId, 'external_id=ext-1&sub1=banner');
    await fetch(`${app.url}/postback?click_id=${accepted}&payout=3.20&status=approved&txid=t-1`);
    const pending = await click(app, setup.campaignId, 'external_id=ext-2&sub1=native');
    await fetch(`${app.url}/postback?click_id=${pending}&payout=1.10&status=pending&txid=t-2`);
    const declined = await click(app, setup.campaignId, 'external_id=ext-3&sub1=push');
    await fetch(`${app.url}/postback?click_id=${declined}&payout=2&status=declined&txid=t-4`);
    // Every state badge: a paused network, a tagged campaign, a second campaign archived.
    const spare = await app.api<{ id: string }>('POST', '/api/networks', { name: 'Spare Network' });
    expect((await app.api('POST', `/api/networks/${spare.body.id}/pause`)).status).toBe(200);
    expect((await app.api('POST', '/api/campaigns/bulk', { action: 'tag', ids: [setup.campaignId], tags: ['summer'] })).status).toBe(200);
    const old = await app.api<{ id: string }>('POST', '/api/campaigns', {
      name: 'Old campaign',
      trafficSourceId: setup.trafficSourceId,
      offerId: setup.offerId,
    });
    expect((await app.api('POST', `/api/campaigns/${old.body.id}/archive`)).status).toBe(200);
    // Postbacks the tracker answers without a conversion: an unknown click and a bad value.
    // Five without a known click raise the dashboard's "postbacks rising" warning, whose title's contrast axe checks.
    for (let i = 0; i < 5; i++) await fetch(`${app.url}/postback?click_id=unknown-click-${i}&payout=1`);
    await fetch(`${app.url}/postback?click_id=${accepted}&payout=not-a-number&txid=t-3`);
    const conversions = await app.api<Array<{ id: string }> | { items: Array<{ id: string }> }>('GET', '/api/conversions');
    const list = Array.isArray(conversions.body) ? conversions.body : conversions.body.items;
    expect(list.length).toBeGreaterThanOrEqual(2);
    conversionId = list[0].id;
    await waitUntil(async () => receiver.requests.length >= 2, 20_000, 'the failing deliveries');

    browser = await launchChromium();
    context = await consoleContext(browser, { viewport: { width: 1280, height: 800 }, colorScheme: 'light' });
    page = await context.newPage();
    await signIn(page);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await receiver?.close();
  });

  async function signIn(p: Page) {
    await p.goto(`${app.url}/console/`);
    await p.waitForURL(/\/console\/sign-in/);
    await p.getByLabel('E-mail').fill(ADMIN.email);
    await p.getByLabel('Password').fill(ADMIN.password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Dashboard', level: 1 }).waitFor();
  }

  /**
   * The screen at `path`, shown: its heading, its data fetched, its transitions over. Reached in the app as its
   * links do when the console is already up (every screen checked in one load, axe-core injected once), else loaded.
   */
  async function open(path: string) {
    await showConsoleScreen(page, app.url, path);
    await page.getByRole('heading', { level: 1 }).first().waitFor();
    await page.waitForLoadState('networkidle');
    await page.locator('.mantine-Loader-root').first().waitFor({ state: 'detached', timeout: 10_000 });
    await page.waitForTimeout(300);
  }

  /** axe-core's serious and critical violations on the page as it is: every rule, or only `rules`. */
  async function violations(rules?: readonly string[]): Promise<Violation[]> {
    if (!String(await page.evaluate('typeof window.axe')).startsWith('object')) await page.evaluate(AXE);
    const options = JSON.stringify({ resultTypes: ['violations'], ...(rules ? { runOnly: { type: 'rule', values: rules } } : {}) });
    const found = await page.evaluate<Violation[]>(
      `axe.run(document, ${options}).then((r) => r.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })) })))`,
    );
    return found.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  }

  /**
   * The axe-core rules whose outcome depends on colours, the only thing a colour scheme changes: a screen that
   * passes every rule in light mode is checked against these again in dark mode, on the same page, instead of
   * being loaded and checked in full twice (that took two minutes of CI for 20 screens).
   */
  const COLOUR_RULES = ['color-contrast', 'link-in-text-block'] as const;

  const scheme = () => page.evaluate<string | null>("document.documentElement.getAttribute('data-mantine-color-scheme')");

  it('passes axe-core on every screen of the route table in light mode, and its colour rules in dark mode, and titles each screen', async () => {
    const addresses: Record<string, string> = {
      '/conversions/:id': `/conversions/${conversionId}`,
      '/fraud/campaigns/:id': `/fraud/campaigns/${campaignId}`,
    };
    const paths = routePaths();
    const missing = paths.filter((p) => p.includes(':') && !addresses[p]);
    expect({ 'route paths without an address to visit': missing }).toEqual({ 'route paths without an address to visit': [] });
    const titles = new Map<string, string>();
    const found: Array<{ screen: string; scheme: string; violations: Violation[] }> = [];
    for (const path of paths) {
      // Auto (nothing chosen in the switch): the OS's preference decides, and the console follows it live.
      await page.emulateMedia({ colorScheme: 'light' });
      await open(addresses[path] ?? path);
      expect([path, await scheme()]).toEqual([path, 'light']);
      if (path === '/') await page.getByRole('alert').first().waitFor();
      titles.set(path, await page.title());
      const light = await violations();
      if (light.length) found.push({ screen: path, scheme: 'light', violations: light });
      await page.emulateMedia({ colorScheme: 'dark' });
      await waitUntil(async () => (await scheme()) === 'dark', 5_000, `${path} turning dark`);
      // Mantine's colour transitions run on the switch: check the colours they end on.
      await page.waitForTimeout(300);
      const dark = await violations(COLOUR_RULES);
      if (dark.length) found.push({ screen: path, scheme: 'dark', violations: dark });
      // A picture of dark mode for docs/console.md, once its screen has been checked.
      if (path === '/' && !dark.length) await docScreenshot(page, 'dashboard-dark');
    }
    expect(found).toEqual([]);
    const all = [...titles.values()];
    expect(all.filter((t) => !/^\S.* — Postwire$/.test(t) || /^(Page not found|Not available) /.test(t))).toEqual([]);
    expect(new Set(all).size).toBe(paths.length);
    expect(titles.get('/')).toBe('Dashboard — Postwire');
    expect(titles.get('/conversions/:id')).toBe('Conversion trace — Postwire');
  }, 300_000);

  it('passes axe-core on the sign-in page and the not-found page, in light and in dark mode, each with its title', async () => {
    const signedOut = await consoleContext(browser, { viewport: { width: 1280, height: 800 } });
    const other = await signedOut.newPage();
    for (const colorScheme of ['light', 'dark'] as const) {
      await other.emulateMedia({ colorScheme });
      await other.goto(`${app.url}/console/sign-in`);
      await other.getByRole('button', { name: 'Sign in' }).waitFor();
      expect(await other.title()).toBe('Sign in — Postwire');
      await other.evaluate(AXE);
      const list = await other.evaluate<Violation[]>(
        "axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.map((n) => ({ target: n.target })) })))",
      );
      expect({ colorScheme, list }).toEqual({ colorScheme, list: [] });
    }
    await signedOut.close();
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${app.url}/console/no/such/screen`);
    await page.getByText('There is no page at this address.').waitFor();
    expect(await page.title()).toBe('Page not found — Postwire');
    expect(await violations()).toEqual([]);
  });

  it('follows the OS until the switch picks a scheme, remembers the pick after a reload, and forgets it on Auto', async () => {
    await page.emulateMedia({ colorScheme: 'light' });
    await open('/reports');
    expect(await scheme()).toBe('light');
    const colourScheme = page.getByRole('radiogroup', { name: 'Colour scheme' });
    await colourScheme.getByText('Dark', { exact: true }).click();
    expect(await scheme()).toBe('dark');
    await page.reload();
    await page.getByRole('heading', { name: 'Reports', level: 1 }).waitFor();
    expect(await scheme()).toBe('dark');
    expect(await page.getByRole('radio', { name: 'Dark' }).isChecked()).toBe(true);
    // A pick wins over the OS until Auto is chosen again; Auto leaves nothing stored.
    await colourScheme.getByText('Light', { exact: true }).click();
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await scheme()).toBe('light');
    await colourScheme.getByText('Auto', { exact: true }).click();
    await waitUntil(async () => (await scheme()) === 'dark', 5_000, 'the OS scheme after Auto');
    expect(await page.evaluate('Object.keys(localStorage)')).toEqual([]);
    await page.emulateMedia({ colorScheme: 'light' });
    await waitUntil(async () => (await scheme()) === 'light', 5_000, 'the OS turning light');
  });

  it('honours a reduced-motion setting: dialogs open without their transition, and with it when motion is fine', async () => {
    const dialogTransition = async () => {
      await open('/setup/networks');
      await page.getByRole('button', { name: 'Add network' }).first().click();
      const duration = await page.getByRole('dialog').evaluate((dialog) => dialog.ownerDocument.defaultView!.getComputedStyle(dialog).transitionDuration);
      await page.keyboard.press('Escape');
      await page.getByRole('dialog').waitFor({ state: 'detached' });
      return duration;
    };
    // This spec's context asks for reduced motion (consoleContext).
    expect(await dialogTransition()).toBe('0s');
    await page.emulateMedia({ reducedMotion: 'no-preference' });
    try {
      expect(await dialogTransition()).not.toBe('0s');
    } finally {
      await page.emulateMedia({ reducedMotion: 'reduce' });
    }
  });

  it('leads the first Tab to a skip link that moves the focus past the navigation into the page', async () => {
    // A load, not a move inside the app: the first Tab of a page that has just loaded.
    await page.goto(`${app.url}/console/conversions`);
    await open('/conversions');
    await page.keyboard.press('Tab');
    const skip = page.getByRole('link', { name: 'Skip to main content' });
    expect(await skip.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.y >= 0 && box.height > 0).toBe(true);
    await page.keyboard.press('Enter');
    expect(await page.evaluate('document.activeElement && document.activeElement.tagName')).toBe('MAIN');
    await page.keyboard.press('Tab');
    expect(await page.evaluate("Boolean(document.activeElement && document.activeElement.closest('main'))")).toBe(true);
    expect(new URL(page.url()).pathname).toBe('/console/conversions');
  });

  it('reaches a sort header by Tab, sorts with Enter and Space, and rings it while it has the focus', async () => {
    await open('/reports?groupBy=campaign');
    await page.getByTestId('report-row').first().waitFor();
    const header = page.getByRole('columnheader', { name: /^Clicks/ });
    const button = header.getByRole('button');
    for (let presses = 0; presses < 80 && !(await button.evaluate((el) => el === el.ownerDocument.activeElement)); presses++) await page.keyboard.press('Tab');
    expect(await button.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    const ring = await button.evaluate((el) => {
      const style = el.ownerDocument.defaultView!.getComputedStyle(el);
      return { style: style.outlineStyle, width: parseFloat(style.outlineWidth) };
    });
    expect(ring.style).not.toBe('none');
    expect(ring.width).toBeGreaterThanOrEqual(2);
    const before = await header.getAttribute('aria-sort');
    await page.keyboard.press('Enter');
    await waitUntil(async () => (await header.getAttribute('aria-sort')) !== before, 5_000, 'Enter to sort');
    const afterEnter = await header.getAttribute('aria-sort');
    expect(['ascending', 'descending']).toContain(afterEnter);
    expect(new URL(page.url()).searchParams.get('sort')).toMatch(/^-?clicks$/);
    await page.keyboard.press('Space');
    await waitUntil(async () => (await header.getAttribute('aria-sort')) !== afterEnter, 5_000, 'Space to sort');
  });

  it('sends the static files compressed by Accept-Encoding with their caching, and measures the first load over the wire', async () => {
    const html = await fetch(`${app.url}/console/`, { headers: { 'accept-encoding': 'br, gzip' } });
    expect([html.headers.get('content-encoding'), html.headers.get('cache-control')]).toEqual(['br', 'no-cache']);
    const assets = [...(await html.text()).matchAll(/(?:src|href)="(\/console\/assets\/[^"]+)"/g)].map((m) => m[1]);
    expect(assets.some((a) => a.endsWith('.js')) && assets.some((a) => a.endsWith('.css'))).toBe(true);
    for (const asset of assets) {
      for (const [accept, encoding] of [
        ['gzip, deflate, br', 'br'],
        ['gzip', 'gzip'],
        ['identity', null],
      ] as const) {
        const res = await fetch(`${app.url}${asset}`, { headers: { 'accept-encoding': accept } });
        await res.arrayBuffer();
        expect([asset, accept, res.status, res.headers.get('content-encoding'), res.headers.get('cache-control')]).toEqual([
          asset,
          accept,
          200,
          encoding,
          'public, max-age=31536000, immutable',
        ]);
        expect(res.headers.get('vary')).toMatch(/accept-encoding/i);
      }
    }

    // A new browser's first load: sign-in, then the dashboard with its chart. Chromium counts the bytes it received.
    const fresh = await consoleContext(browser, { viewport: { width: 1280, height: 800 } });
    const first = await fresh.newPage();
    const cdp = await fresh.newCDPSession(first);
    await cdp.send('Network.enable');
    const requests = new Map<string, { url: string; encoding?: string }>();
    let wire = 0;
    let body = 0;
    cdp.on('Network.responseReceived', (e: { requestId: string; response: { url: string; headers: Record<string, string> } }) => {
      const encoding = Object.entries(e.response.headers).find(([k]) => k.toLowerCase() === 'content-encoding')?.[1];
      requests.set(e.requestId, { url: e.response.url, encoding });
    });
    cdp.on('Network.dataReceived', (e: { requestId: string; dataLength: number }) => {
      if (new URL(requests.get(e.requestId)?.url ?? 'http://x/').pathname.startsWith('/console/')) body += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e: { requestId: string; encodedDataLength: number }) => {
      if (new URL(requests.get(e.requestId)?.url ?? 'http://x/').pathname.startsWith('/console/')) wire += e.encodedDataLength;
    });
    await signIn(first);
    await first.locator('.uplot canvas').first().waitFor();
    await first.waitForLoadState('networkidle');
    const files = [...requests.values()].filter((r) => /\/console\/assets\/.+\.(js|css)$/.test(new URL(r.url).pathname));
    expect(files.filter((f) => f.encoding !== 'br')).toEqual([]);
    expect(wire).toBeLessThan(400 * 1024);
    expect(wire * 3).toBeLessThan(body);
    console.log(
      `console first load (sign-in and dashboard) in Chromium: ${files.length} JS/CSS files, ${(wire / 1024).toFixed(1)} KB over the wire (Brotli, with headers), ${(body / 1024).toFixed(1)} KB uncompressed`,
    );
    await fresh.close();
  });
});
