/**
 * The first-party cookie set on the click redirect. It lets /pixel.gif find the click when the
 * advertiser's page fires the pixel without the click id; it only reaches the pixel when the
 * tracker is served from the advertiser's site (a subdomain), as browsers drop third-party cookies.
 */
export const CLICK_COOKIE = 'pw_click';
const CLICK_COOKIE_MAX_AGE_S = 30 * 24 * 3600;

export function clickCookie(clickId: string, secure: boolean): string {
  return `${CLICK_COOKIE}=${clickId}; Max-Age=${CLICK_COOKIE_MAX_AGE_S}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

/** Reads the click id from a Cookie header, if it carries a well-formed one. */
export function clickIdFromCookie(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const match = new RegExp(`(?:^|;\\s*)${CLICK_COOKIE}=([0-9a-z]{30})(?:;|$)`).exec(header);
  return match?.[1];
}
