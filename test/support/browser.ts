import { existsSync } from 'node:fs';
import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from 'playwright-core';

/** Debian's chromium package; `.ci/run` installs it when missing. No browser is downloaded. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Real headless Chromium driven by playwright-core. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH))
    throw new Error(`Chromium not found at ${CHROMIUM_PATH}: install the "chromium" package (apt-get install chromium) or set CHROMIUM_PATH`);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS, headless: true });
}

/**
 * A new browser context for driving the console: the options given, over a user who asked their system to reduce
 * motion (`prefers-reduced-motion: reduce`). The console honours it (the theme's `respectReducedMotion`), so
 * dialogs, drawers and menus open without their transitions, and no step waits on one (a dialog opened and closed
 * took ~0.4 s with them, ~0.12 s without). console.e2e-spec.ts walks through with motion on; console-a11y checks
 * both settings.
 */
export function consoleContext(browser: Browser, options: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({ reducedMotion: 'reduce', ...options });
}

/**
 * Signs `who` in through the console's own sign-in form in `page` and waits for the dashboard: the way a user
 * arrives, for the specs that then drive the console. (The older console specs still write these steps out.)
 */
export async function signInInBrowser(page: Page, consoleUrl: string, who: { email: string; password: string }): Promise<void> {
  await page.goto(`${consoleUrl}/console/`);
  await page.waitForURL(/\/console\/sign-in/);
  await page.getByLabel('E-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
}

/**
 * Moves `page`, which shows the console signed in, to the screen at `path` (below /console) the way the console's
 * own links do: through the router's history, without loading the app again. Resolves once the new screen has
 * rendered its own heading (a new `<h1>`; the old screen's are marked first, so they cannot answer). A full load
 * costs Chromium ~0.7 s of CPU against ~0.1 s for this, and drops what a spec injected into the page (axe-core).
 * The screen shows what the console's query cache holds while it is fresh, as after a click on a link: for data
 * changed behind the console's back, or to test a load itself, use `page.goto`.
 */
export async function navigateInConsole(page: Page, path: string): Promise<void> {
  await page.evaluate(`(() => {
    for (const heading of document.querySelectorAll('h1')) heading.setAttribute('data-left-behind', '');
    history.pushState(null, '', ${JSON.stringify(`/console${path}`)});
    dispatchEvent(new PopStateEvent('popstate'));
  })()`);
  await page.locator('h1:not([data-left-behind])').first().waitFor();
}

/**
 * Shows the console's screen at `path` (below /console) in `page`: moved to inside the app when `page` already
 * shows the console signed in ({@link navigateInConsole}), else loaded. Nothing happens when it is there already.
 */
export async function showConsoleScreen(page: Page, consoleUrl: string, path: string): Promise<void> {
  const from = new URL(page.url());
  const inConsole = from.origin === new URL(consoleUrl).origin && from.pathname.startsWith('/console/') && !from.pathname.startsWith('/console/sign-in');
  if (!inConsole) await page.goto(`${consoleUrl}/console${path}`);
  else if (from.pathname + from.search !== `/console${path}`) await navigateInConsole(page, path);
}
