import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { AuditActor } from '@postwire/core';
import { ApiError } from '../http/api-error';

/** Who the caller is, as every admin route sees it, whether it came with an API key or a console session. */
export interface AccessScope {
  via: 'api-key' | 'session';
  /** `read` is a read-only API key; the others are console roles (an admin API key counts as `admin`). */
  role: 'admin' | 'manager' | 'client' | 'read';
  /** The signed-in user, `null` for an API key. */
  userId: string | null;
  /** The campaigns this caller may see, `null` for all. */
  allowedCampaignIds: readonly string[] | null;
  /** Cost, profit and ROI are left out of every answer. */
  hideProfit: boolean;
  /**
   * Fields left out of every answer, by name at any depth: for a client, the source, visitor and raw
   * postback fields it was not allowed (`clientHiddenFields`); empty for everyone else.
   */
  hiddenFields: ReadonlySet<string>;
  /** Who the audit log names for the caller's changes: the user (e-mail address) or the API key (label). */
  actor: AuditActor;
}

/** Where the guard leaves the scope on the request. */
export const ACCESS_SCOPE = 'postwireAccess';

/**
 * The caller's {@link AccessScope}, in a handler behind `AdminAuthGuard`:
 * `list(@Access() scope: AccessScope)`.
 */
export const Access = createParamDecorator((_data: unknown, context: ExecutionContext): AccessScope => {
  const scope = (context.switchToHttp().getRequest<Record<string, unknown>>()[ACCESS_SCOPE] ?? undefined) as AccessScope | undefined;
  if (!scope) throw new Error('@Access() used on a route without AdminAuthGuard');
  return scope;
});

/** Whether the caller may see this campaign. */
export function canSeeCampaign(scope: AccessScope, campaignId: string): boolean {
  return scope.allowedCampaignIds === null || scope.allowedCampaignIds.includes(campaignId.toLowerCase());
}

/**
 * 404 when the caller may not see the campaign: to a client another campaign does not exist, so
 * its ids cannot be probed.
 */
export function requireCampaign(scope: AccessScope, campaignId: string, what = 'campaign'): void {
  if (!canSeeCampaign(scope, campaignId)) throw ApiError.notFound(what);
}

/**
 * The campaign filter of a list for this caller and the `campaignId` it asked for: `campaignIds` to
 * add to the query (undefined = all), `none` when nothing can match. A requested campaign outside the
 * scope yields an empty list, not an error.
 */
export function campaignFilter(scope: AccessScope, requested?: string): { campaignIds?: string[]; none: boolean } {
  if (scope.allowedCampaignIds === null) return requested === undefined ? { none: false } : { campaignIds: [requested.toLowerCase()], none: false };
  if (requested !== undefined) return canSeeCampaign(scope, requested) ? { campaignIds: [requested.toLowerCase()], none: false } : { none: true };
  return { campaignIds: [...scope.allowedCampaignIds], none: scope.allowedCampaignIds.length === 0 };
}

/** Field names that carry cost, profit or ROI, in any answer (`cost`, `costModel`, `costValue`, `profit`, `roi`, `cpa`, `cpc`, `margin`...). */
const PROFIT_FIELD = /^(cost|profit|roi|margin|cpa|cpc|cpm)/i;

export function isProfitField(name: string): boolean {
  return PROFIT_FIELD.test(name);
}

/** A copy of `value` without cost, profit and ROI fields at any depth of its arrays and plain objects. */
export function withoutProfit<T>(value: T): T {
  return withoutFields(value, isProfitField);
}

/**
 * A copy of `value` without the fields `hidden` names at any depth of its arrays and plain objects;
 * anything else (a Date, a StreamableFile) passes untouched.
 */
export function withoutFields<T>(value: T, hidden: (name: string) => boolean): T {
  if (Array.isArray(value)) return value.map((v: unknown) => withoutFields(v, hidden)) as T;
  const proto = value !== null && typeof value === 'object' ? Object.getPrototypeOf(value) : undefined;
  if (proto === Object.prototype || proto === null) {
    return Object.fromEntries(
      Object.entries(value as object)
        .filter(([k]) => !hidden(k))
        .map(([k, v]) => [k, withoutFields(v, hidden)]),
    ) as T;
  }
  return value;
}

/** An answer as this caller may see it: without profit fields if its view hides profit, and without its hidden fields. */
export function shapedForScope<T>(scope: AccessScope, value: T): T {
  if (!scope.hideProfit && scope.hiddenFields.size === 0) return value;
  return withoutFields(value, (name) => (scope.hideProfit && isProfitField(name)) || scope.hiddenFields.has(name));
}
