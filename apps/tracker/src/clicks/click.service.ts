import { Injectable } from '@nestjs/common';
import { fillUrlMacros, newClickId, SUB_PARAMS, type Subs } from '@postwire/core';
import { CampaignRepository, ClickRepository } from '@postwire/persistence';

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
    private readonly campaigns: CampaignRepository,
    private readonly clicks: ClickRepository,
  ) {}

  /** Returns the redirect location, or `undefined` for an unknown campaign. */
  async click(input: ClickInput): Promise<{ clickId: string; location: string } | undefined> {
    const route = await this.campaigns.getRoute(input.campaignId);
    if (!route) return undefined;
    const subs: Subs = {};
    for (const sub of SUB_PARAMS) {
      const value = input.params[sub];
      if (value !== undefined && value !== '') subs[sub] = value.slice(0, MAX_SUB_LENGTH);
    }
    const externalId = input.params[route.externalIdParam]?.slice(0, MAX_SUB_LENGTH) || undefined;
    const clickId = newClickId();
    await this.clicks.insertMany([
      { id: clickId, campaignId: route.campaignId, externalId, subs, ip: input.ip, userAgent: input.userAgent?.slice(0, 512), createdAt: new Date() },
    ]);
    const location = fillUrlMacros(route.offerUrl, { click_id: clickId, campaign_id: route.campaignId, external_id: externalId, ...subs });
    return { clickId, location };
  }
}
