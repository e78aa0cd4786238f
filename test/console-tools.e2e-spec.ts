import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createPostgresDatabase } from '../libs/persistence/src/test-support/databases';
import { consoleContext, launchChromium } from './support/browser';
import { PostwireProcess } from './support/postwire-process';
import { waitUntil } from './support/wait-until';

const ADMIN = { email: 'links@agency.test', password: 'correct horse battery staple' };

/**
 * The console's link builder, adapter settings form and password change in real headless Chromium,
 * against one built app on PostgreSQL. The setup is made through the API; the browser does
 * only what these screens are for.
 */
describe('console tools in a browser: links, adapter settings, password', () => {
  let app: PostwireProcess;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let drop: () => Promise<void>;
  const ids: { bare?: string; bareCampaign?: string; stars?: string; starsCampaign?: string } = {};

  beforeAll(async () => {
    const database = await createPostgresDatabase();
    drop = database.drop;
    app = await PostwireProcess.start({ env: { DATABASE_URL: database.url } });
    expect((await app.api('POST', '/api/users', { ...ADMIN, role: 'admin' })).status).toBe(201);
    const network = await app.api<{ id: string }>('POST', '/api/networks', { name: 'Net', adapter: 'generic' });
    const offer = await app.api<{ id: string }>('POST', '/api/offers', { name: 'Offer', networkId: network.body.id, url: 'https://o.example/?cid={click_id}' });
    const stars = await app.api<{ id: string }>('POST', '/api/traffic-sources', {
      name: 'Stars',
      preset: 'trafficstars',
      presetValues: { YOUR_POSTBACK_KEY: 'k' },
    });
    const bare = await app.api<{ id: string }>('POST', '/api/traffic-sources', { name: 'Bare', postbackUrl: 'https://ts.example/pb?c={external_id}' });
    const campaign = (name: string, trafficSourceId: string) =>
      app.api<{ id: string }>('POST', '/api/campaigns', { name, trafficSourceId, offerId: offer.body.id, costModel: 'auto' });
    Object.assign(ids, {
      stars: stars.body.id,
      bare: bare.body.id,
      starsCampaign: (await campaign('Stars auto', stars.body.id)).body.id,
      bareCampaign: (await campaign('Bare auto', bare.body.id)).body.id,
    });
    browser = await launchChromium();
    context = await consoleContext(browser, { viewport: { width: 1280, height: 800 } });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.url });
    page = await context.newPage();
    await signIn(page, ADMIN.password);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await app?.dispose();
    await drop?.();
  });

  async function signIn(p: Page, password: string) {
    await p.goto(`${app.url}/console/`);
    await p.waitForURL(/\/console\/sign-in/);
    await p.getByLabel('E-mail').fill(ADMIN.email);
    await p.getByLabel('Password').fill(password);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Dashboard' }).waitFor();
  }

  /** Campaign links start with the configured public URL (PUBLIC_URL, by default http://localhost:PORT), not the address the test calls. */
  const publicUrl = () => app.env.PUBLIC_URL ?? `http://localhost:${app.port}`;

  /** Opens a campaign's details drawer (its link, costs and forwarding rules) from its row's "Link" button. */
  async function openCampaign(name: string) {
    await page
      .getByRole('table', { name: 'Campaigns' })
      .getByRole('row')
      .filter({ has: page.getByRole('cell', { name, exact: true }) })
      .getByRole('button', { name: 'Link', exact: true })
      .click();
    const drawer = page.getByRole('dialog', { name });
    await drawer.waitFor();
    return drawer;
  }

  async function closeDrawer() {
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
  }

  it("shows the link built from the source's tokens, copies it whole and by parameter, and warns of what is unmapped", async () => {
    await page.getByRole('link', { name: 'Campaigns' }).click();
    const stars = await openCampaign('Stars auto');
    const link = await stars.getByRole('textbox', { name: /^Campaign link/ }).inputValue();
    expect(link).toBe(
      `${publicUrl()}/c/${ids.starsCampaign}?external_id={click_id}&cost={cost}&sub1={site_id}&sub2={adspot_id}&sub3={creative_id}&sub4={campaign_id}&sub5={geo}&sub6={device_type}`,
    );
    await stars.getByRole('button', { name: 'Copy Campaign link' }).click();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe(link);
    await stars.getByRole('table', { name: 'Link parameters of Stars auto' }).getByRole('button', { name: 'Copy sub1' }).click();
    expect(await page.evaluate<string>('navigator.clipboard.readText()')).toBe('sub1={site_id}');
    expect(await stars.getByRole('alert').count()).toBe(0);
    await closeDrawer();

    const bare = await openCampaign('Bare auto');
    expect(await bare.getByRole('alert').allTextContents()).toEqual([expect.stringMatching(/^No click id token/), expect.stringMatching(/^No cost token/)]);
    await closeDrawer();
  });

  it('maps a token in the source’s token editor, and the campaign link and its warnings follow', async () => {
    await page.getByRole('link', { name: 'Traffic sources' }).click();
    await page.getByRole('row', { name: /Bare/ }).getByRole('button', { name: 'Test & settings' }).click();
    const editor = page.getByRole('dialog').getByRole('table', { name: 'Tokens' });
    await page.getByRole('dialog').getByRole('button', { name: 'Add token' }).click();
    await editor.getByRole('textbox', { name: 'Token 1 macro' }).fill('{clickid}');
    await page.getByRole('dialog').getByRole('button', { name: 'Add token' }).click();
    await editor.getByRole('textbox', { name: 'Token 2 macro' }).fill('{zone id}');
    await editor.getByRole('textbox', { name: 'Token 2 label' }).fill('cost');
    await page.getByRole('dialog').getByRole('button', { name: 'Save tokens' }).click();
    // The server names the row at fault; the error shows on that field, not as a raw message.
    await editor.getByText('Must not contain &, #, = or spaces').waitFor();
    await editor.getByRole('textbox', { name: 'Token 2 macro' }).fill('{cpc}');
    await page.getByRole('dialog').getByRole('button', { name: 'Save tokens' }).click();
    await waitUntil(
      async () => (await app.api<{ tokens: unknown[] }>('GET', `/api/traffic-sources/${ids.bare}`)).body.tokens.length === 2,
      5000,
      'the tokens are saved',
    );
    await page.keyboard.press('Escape');

    // The source's forwarding rules are saved with the source's version as the drawer read it (a session must send one).
    await page.getByRole('row', { name: /Bare/ }).getByRole('button', { name: 'Test & settings' }).click();
    await page
      .getByRole('dialog')
      .getByRole('textbox', { name: /^Retry schedule/ })
      .fill('0,1m');
    const [rules] = await Promise.all([
      page.waitForResponse((r) => r.request().method() === 'PATCH' && r.url().endsWith(`/api/traffic-sources/${ids.bare}`)),
      page.getByRole('dialog').getByRole('button', { name: 'Save rules' }).click(),
    ]);
    expect(rules.status()).toBe(200);
    await page.keyboard.press('Escape');

    await page.getByRole('link', { name: 'Campaigns' }).click();
    const bare = await openCampaign('Bare auto');
    const want = `${publicUrl()}/c/${ids.bareCampaign}?external_id={clickid}&cost={cpc}`;
    await waitUntil(async () => (await bare.getByRole('textbox', { name: /^Campaign link/ }).inputValue()) === want, 5000, 'the link follows the tokens');
    expect(await bare.getByRole('alert').count()).toBe(0);
    await closeDrawer();
  });

  it("draws an adapter's settings from its schema: titles, enums as selects, secrets masked", async () => {
    await page.getByRole('link', { name: 'Networks' }).click();
    await page.getByRole('button', { name: 'Add network' }).first().click();
    const dialog = page.getByRole('dialog');
    await dialog.getByRole('textbox', { name: /^Postback format/ }).click();
    await page.getByRole('option', { name: 'Digistore24' }).click();
    const passphrase = dialog.getByLabel(/^IPN passphrase/);
    expect(await passphrase.getAttribute('type')).toBe('password');
    await dialog.getByRole('textbox', { name: /^Payout field/ }).click();
    expect(await page.getByRole('option').allTextContents()).toEqual(['amount_affiliate', 'amount_vendor']);
    await page.getByRole('option', { name: 'amount_vendor' }).click();
    await dialog.getByText('amount_affiliate when you promote as an affiliate', { exact: false }).waitFor();
    await page.keyboard.press('Escape');
  });

  it('changes the password: a wrong current one is refused on its field, the right one signs other browsers out', async () => {
    const other = await consoleContext(browser);
    const laptop = await other.newPage();
    await signIn(laptop, ADMIN.password);

    await page.getByRole('link', { name: 'Password' }).click();
    await page.getByRole('heading', { name: 'Password' }).waitFor();
    await page.getByLabel('Current password').fill('not my password at all');
    // The label of a required field ends in Mantine's asterisk ("New password *"); the regex keeps it apart from "New password again".
    await page.getByLabel(/^New password\s*\*?$/).fill('a brand new password 42');
    await page.getByLabel('New password again').fill('a brand new password 42');
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByText('Is not your current password').waitFor();

    await page.getByLabel('Current password').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Change password' }).click();
    await page.getByRole('status').getByText('Password changed').waitFor();

    // This browser stays signed in and can still change things (its new CSRF token was read); the other is out.
    await page.getByRole('link', { name: 'Sessions' }).click();
    const sessions = page.getByRole('table', { name: 'Sessions' });
    await sessions.waitFor();
    expect(await sessions.getByRole('row').count()).toBe(2);
    await laptop.reload();
    await laptop.waitForURL(/\/console\/sign-in/);
    await other.close();
    const fresh = await consoleContext(browser);
    await signIn(await fresh.newPage(), 'a brand new password 42');
    await fresh.close();
  });
});
