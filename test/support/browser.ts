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
