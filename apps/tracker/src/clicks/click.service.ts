import { Injectable } from '@nestjs/common';
import { fillUrlMacros, newClickId, SUB_PARAMS, type Subs } from '@postwire/core';
import { CampaignRoutes } from './campaign-routes';
import { ClickWriter } from './click-writer';

export interface ClickInput {
  campaignId: string;
  params: Record<string, string>;
  ip?: string;
  userAgent?: string;
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
   * Returns the redirect location, or `undefined` for an unknown campaign. Resolves only once the
   * click is committed (the {@link ClickWriter} groups concurrent clicks into one INSERT), so a
   * redirect is never sent for a click a crash could still lose; fails with a 503 when it cannot be stored.
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
    const location = fillUrlMacros(route.offerUrl, { click_id: clickId, campaign_id: route.campaignId, external_id: externalId, ...subs });
    await this.writer.add({ id: clickId, campaignId: route.campaignId, externalId, subs, ip: input.ip, userAgent: input.userAgent?.slice(0, 512), createdAt: new Date(now) });
    return { clickId, location };
  }
}
