import type { TargetContext, TargetVerdict } from '@postwire/plugin-sdk';
import { parseJsonObject } from './google-ads.json';
import { sha256Hex } from './google-ads.user-identifiers';

/** The OAuth settings a token exchange needs (a subset of the target's config). */
export interface GoogleOAuthSettings {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
  refreshToken: string;
}

/**
 * An access token, or why there is none (nothing was sent): permanent with an alert when Google
 * refused the credentials (`invalid_grant`: a revoked or expired refresh token, `invalid_client`: a
 * wrong client id or secret), since retrying cannot help until the operator reconnects; a retry when
 * the token endpoint did not answer. `build`/`update` return the verdict as a `failed` build result.
 */
export type GoogleAccessToken = { ok: true; token: string } | { ok: false; verdict: Extract<TargetVerdict, { kind: 'retry' | 'permanent' }> };

// Renew a few minutes before Google's expiry so a request never leaves with a token about to lapse.
const EXPIRY_MARGIN_S = 300;

/**
 * An access token for the Google Ads API: from the cache, or exchanged for the refresh token at
 * Google's OAuth endpoint (https://developers.google.com/identity/protocols/oauth2/web-server#offline)
 * and cached until shortly before it expires. The cache key is a hash: secrets never become keys.
 */
export async function googleAccessToken(settings: GoogleOAuthSettings, context: TargetContext): Promise<GoogleAccessToken> {
  const key = `google-ads:access-token:${sha256Hex([settings.tokenUrl, settings.clientId, settings.refreshToken].join('\n'))}`;
  const cached = context.cache.get(key);
  if (cached) return { ok: true, token: cached };
  const answer = await context.http({
    method: 'POST',
    url: settings.tokenUrl,
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      client_id: settings.clientId,
      client_secret: settings.clientSecret,
      refresh_token: settings.refreshToken,
    }).toString(),
  });
  const json = parseJsonObject(answer.body);
  if (answer.statusCode === 200 && typeof json?.access_token === 'string' && json.access_token) {
    const expiresIn = typeof json.expires_in === 'number' ? json.expires_in : 3600;
    const ttlMs = (expiresIn - EXPIRY_MARGIN_S) * 1000;
    if (ttlMs > 0) context.cache.set(key, json.access_token, ttlMs);
    return { ok: true, token: json.access_token };
  }
  if (answer.statusCode === null || answer.statusCode === 429 || answer.statusCode >= 500) {
    return {
      ok: false,
      verdict: {
        kind: 'retry',
        reason: `Google's OAuth token endpoint did not answer usefully (${answer.error ?? `HTTP ${answer.statusCode}`}); nothing was sent`,
      },
    };
  }
  const code = typeof json?.error === 'string' ? json.error : `HTTP ${answer.statusCode}`;
  const description = typeof json?.error_description === 'string' ? `: ${json.error_description}` : '';
  return {
    ok: false,
    verdict: {
      kind: 'permanent',
      reason: `Google refused the OAuth credentials (${code}${description}); create a new refresh token or check the client id and secret. Nothing was sent`,
      alert: true,
    },
  };
}
