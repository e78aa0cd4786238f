import { parseAmount } from '../money/decimal-amount';
import { textDigest } from '../text/text-digest';

/** The host of a Referer header, lower-cased and without `www.`; null when absent or not a URL. */
export function referrerDomain(referer: string | undefined): string | null {
  if (!referer) return null;
  try {
    const host = new URL(referer).hostname.toLowerCase();
    return host ? host.replace(/^www\./, '').slice(0, 255) : null;
  } catch {
    return null;
  }
}

/** The visitor of a click without a pw_click cookie: a hash of IP and User-Agent (md5, the same the 005 migration used for older clicks). */
export function visitorHash(ip: string | undefined, userAgent: string | undefined): string {
  return 'h:' + textDigest('md5', `${ip ?? ''}\n${userAgent ?? ''}`, 'hex');
}

/**
 * A click's cost under its campaign's cost model. `cpc` costs the campaign's value; `auto` reads the
 * value the traffic source put in the click URL (missing or not a plain decimal: 0, and counted as
 * without cost); conversion-priced models (`cpa`, `revshare`) and `none` cost nothing per click.
 */
export function clickCost(model: string | undefined, value: string | null | undefined, fromUrl: string | undefined): { cost: string; missing: boolean } {
  if (model === 'cpc') return { cost: value ?? '0', missing: false };
  if (model !== 'auto') return { cost: '0', missing: false };
  if (fromUrl === undefined || fromUrl === '') return { cost: '0', missing: true };
  const parsed = parseAmount(fromUrl);
  return parsed.ok ? { cost: parsed.value, missing: false } : { cost: '0', missing: true };
}
