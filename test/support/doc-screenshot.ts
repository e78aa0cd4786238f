import { join } from 'node:path';
import type { Page } from 'playwright-core';

/** Where the console's pictures for the docs live. */
const SHOTS = join(__dirname, '..', '..', 'docs', 'screenshots');

/**
 * Whether this run takes the docs' pictures: only `npm run docs:screenshots` does (DOC_SCREENSHOTS=1).
 * A test run must not rewrite tracked files, and each picture costs a settle wait and a PNG encode.
 */
export const DOC_SCREENSHOTS = process.env.DOC_SCREENSHOTS === '1';

/**
 * A picture of the page for docs/screenshots/<name>.png, when {@link DOC_SCREENSHOTS} is on. `settleMs`
 * waits for drawer and modal transitions to end first, so the picture is the settled screen.
 */
export async function docScreenshot(page: Page, name: string, options: { fullPage?: boolean; settleMs?: number } = {}): Promise<void> {
  if (!DOC_SCREENSHOTS) return;
  if (options.settleMs) await page.waitForTimeout(options.settleMs);
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: options.fullPage ?? false });
}
