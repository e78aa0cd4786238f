import { Inject, Injectable } from '@nestjs/common';
import type { PostwireConfig } from '@postwire/config';
import { POSTWIRE_CONFIG } from '@postwire/runtime';
import { adClickIds, cutText, fillUrlMacros, newClickId, SUB_PARAMS, type Subs } from '@postwire/core';
import { botTarget } from './bot-target';
import { ApiError } from '../http/api-error';
import { CampaignRoutes, type CampaignRoute } from './campaign-routes';
import { ClickWriter } from './click-writer';

export interface ClickInput {
  campaignId: string;
  params: Record<string, string>;
  ip?: string;
  userAgent?: string;
  referer?: string;
  /** The pw_click cookie's click id, when the visitor brought one. */
  cookieClickId?: string;
}

const MAX_SUB_LENGTH = 512;

/** Records a click and works out where to send the visitor. */
@Injectable()
export class ClickService {
  constructor(
    private readonly routes: CampaignRoutes,
    private readonly writer: ClickWriter,
    @Inject(POSTWIRE_CONFIG) private readonly config: PostwireConfig,
  ) {}

  /**
   * Returns the redirect location, or `undefined` for an unknown campaign. Resolves only once the
   * click is committed (the {@link ClickWriter} groups concurrent clicks into one INSERT), so a
   * redirect is never sent for a click a crash could still lose; fails with a 503 when it cannot be stored.
   *
   * A paused (or archived) campaign's click is stored as `paused` and sent to the campaign's `pausedUrl`,
   * else PAUSED_CAMPAIGN_URL; with neither, `location` is null and the link answers 404 (docs/lifecycle.md).
   */
  async click(input: ClickInput): Promise<{ clickId: string; location: string | null; paused: boolean } | undefined> {
    const route = await this.routes.get(input.campaignId);
    if (!route) return undefined;
    // A known bot goes to the policy's safe URL when it has one: the one fraud check made before the redirect (user agent only, microseconds).
    const botSafeUrl = route.paused || !this.config.fraud.scoring ? null : botTarget(route.fraudPolicy, input.userAgent);
    const offerUrl = route.paused ? pausedClickTarget(route, this.config.pausedCampaignUrl) : (botSafeUrl ?? usableOfferUrl(route));
    const subs: Subs = {};
    // Cut on code points: half a surrogate pair would be stored as U+FFFD and break the redirect.
    for (const sub of SUB_PARAMS) {
      const value = input.params[sub];
      if (value !== undefined && value !== '') subs[sub] = cutText(value, MAX_SUB_LENGTH);
    }
    const raw = input.params[route.externalIdParam];
    const externalId = raw ? cutText(raw, MAX_SUB_LENGTH) : undefined;
    // The id carries the same millisecond as created_at, so a click's time (and, with a
    // time-partitioned clicks table, its partition) can be read off its id (docs/scaling.md).
    const now = Date.now();
    const clickId = newClickId(now);
    const location = offerUrl === null ? null : fillUrlMacros(offerUrl, { click_id: clickId, campaign_id: route.campaignId, external_id: externalId, ...subs });
    await this.writer.add({
      id: clickId,
      campaignId: route.campaignId,
      offerId: route.offerId,
      externalId,
      subs,
      ip: input.ip,
      userAgent: input.userAgent === undefined ? undefined : cutText(input.userAgent, 512),
      createdAt: new Date(now),
      paused: route.paused,
      adIds: adClickIds(input.params),
      // Read by the writer's batch (country, device, visitor, cost), not here: enrichment is not on the redirect's path.
      raw: {
        referer: input.referer === undefined ? undefined : cutText(input.referer, 2048),
        cookieClickId: input.cookieClickId,
        costParamValue: route.costModel === 'auto' ? input.params[route.costParam] : undefined,
        costModel: route.costModel,
        costValue: route.costValue,
        fraudPolicy: route.fraudPolicy,
      },
    });
    return { clickId, location, paused: route.paused };
  }

  /**
   * What a `HEAD` of the click link answers: the same status and headers, with no click made or
   * stored (a link checker or prefetcher is not a visitor). `{click_id}` is left empty.
   */
  async preview(campaignId: string): Promise<{ location: string | null } | undefined> {
    const route = await this.routes.get(campaignId);
    if (!route) return undefined;
    const target = route.paused ? pausedClickTarget(route, this.config.pausedCampaignUrl) : usableOfferUrl(route);
    return { location: target === null ? null : fillUrlMacros(target, { click_id: '', campaign_id: route.campaignId }) };
  }
}

/**
 * Where a paused (or archived) campaign's click goes: the campaign's own fallback URL, else the install's
 * PAUSED_CAMPAIGN_URL, else nowhere (null: the link answers 404 `campaign_paused`).
 */
export function pausedClickTarget(route: Pick<CampaignRoute, 'pausedUrl'>, installDefault: string | undefined): string | null {
  return route.pausedUrl ?? installDefault ?? null;
}

/** Checked before a click is stored: a click that cannot be redirected is not recorded. */
function usableOfferUrl(route: CampaignRoute): string {
  if (route.offerUrl !== null) return route.offerUrl;
  throw new ApiError('offer_url_invalid', `The offer URL of this campaign cannot be used (${route.offerUrlProblem ?? 'invalid'}); the operator must fix it.`);
}
