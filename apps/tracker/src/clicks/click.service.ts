import { Injectable } from '@nestjs/common';
import { fillUrlMacros, newClickId, SUB_PARAMS, type Subs } from '@postwire/core';
import { CampaignRoutes } from './campaign-routes';
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
  ) {}

  /**
   * Returns the redirect location, or `undefined` for an unknown campaign. The click is handed
   * to the {@link ClickWriter}, which stores it within milliseconds; this resolves before that
   * unless the writer's buffer is full (then it waits, or fails with a 503).
   */
  async click(input: ClickInput): Promise<{ clickId: string; location: string } | undefined> {
    const route = await this.routes.get(input.campaignId);
    if (!route) return undefined;
    const subs: Subs = {};
    for (const sub of SUB_PARAMS) {
      const value = input.params[sub];
      if (value !== undefined && value !== '') subs[sub] = value.slice(0, MAX_SUB_LENGTH);
    }
    const externalId = input.params[route.externalIdParam]?.slice(0, MAX_SUB_LENGTH) || undefined;
    // The id carries the same millisecond as created_at, so a click's time (and, with a
    // time-partitioned clicks table, its partition) can be read off its id (docs/scaling.md).
    const now = Date.now();
    const clickId = newClickId(now);
    const waiting = this.writer.add({
      id: clickId,
      campaignId: route.campaignId,
      externalId,
      subs,
      ip: input.ip,
      userAgent: input.userAgent?.slice(0, 512),
      createdAt: new Date(now),
      // Read by the writer's batch (country, device, visitor, cost), not here: the redirect does not wait for it.
      raw: {
        referer: input.referer?.slice(0, 2048),
        cookieClickId: input.cookieClickId,
        costParamValue: route.costModel === 'auto' ? input.params[route.costParam] : undefined,
        costModel: route.costModel,
        costValue: route.costValue,
      },
    });
    if (waiting) await waiting;
    const location = fillUrlMacros(route.offerUrl, { click_id: clickId, campaign_id: route.campaignId, external_id: externalId, ...subs });
    return { clickId, location };
  }
}
