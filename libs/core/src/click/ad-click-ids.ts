import { cutText } from '../text/cut-text';

/** Ad-platform click identifiers and the landing page URL, as captured from a campaign link (only those present). A type, not an interface: it is also read as a string record (the trace's schema). */
export type AdClickIds = {
  fbclid?: string;
  fbc?: string;
  fbp?: string;
  gclid?: string;
  gbraid?: string;
  wbraid?: string;
  ttclid?: string;
  ttp?: string;
  /** The landing page URL, when the link passed one (`landing_url`), http(s) only. */
  landingUrl?: string;
};

/** Each identifier and the query parameters it is read from, first present wins (`_fbc` is the cookie's name). */
export const AD_CLICK_ID_PARAMS: Readonly<Record<Exclude<keyof AdClickIds, 'landingUrl'>, readonly string[]>> = {
  fbclid: ['fbclid'],
  fbc: ['fbc', '_fbc'],
  fbp: ['fbp', '_fbp'],
  gclid: ['gclid'],
  gbraid: ['gbraid'],
  wbraid: ['wbraid'],
  ttclid: ['ttclid'],
  ttp: ['ttp', '_ttp'],
};

/** The query parameter that carries the landing page URL. */
export const LANDING_URL_PARAM = 'landing_url';

/**
 * How long captured identifiers are kept: the longest platform window that can still use them. Google Ads
 * accepts click conversions up to 90 days after the click; Meta takes events up to 7 days old and TikTok
 * about the same, so 90 days covers every target.
 */
export const AD_CLICK_ID_RETENTION_DAYS = 90;

const MAX_ID_LENGTH = 512;
const MAX_URL_LENGTH = 2048;

/**
 * The identifiers present in the campaign link's query; undefined when there are none, so the common
 * click stores nothing. Values are kept exactly (platforms say click ids are case sensitive), cut to a length.
 */
export function adClickIds(params: Readonly<Record<string, string | undefined>>): AdClickIds | undefined {
  let found: AdClickIds | undefined;
  for (const [key, names] of Object.entries(AD_CLICK_ID_PARAMS) as Array<[keyof AdClickIds, readonly string[]]>) {
    for (const name of names) {
      const value = params[name]?.trim();
      if (!value) continue;
      (found ??= {})[key] = cutText(value, MAX_ID_LENGTH);
      break;
    }
  }
  const landing = params[LANDING_URL_PARAM]?.trim();
  if (landing && /^https?:\/\//i.test(landing) && URL.canParse(landing) && landing.length <= MAX_URL_LENGTH) (found ??= {}).landingUrl = landing;
  return found;
}
