import { Injectable } from '@nestjs/common';
import { SUB_PARAMS, subLabels, type SubParam } from '@postwire/core';
import { CampaignRepository, TrafficSourceRepository } from '@postwire/persistence';
import type { AccessScope } from '../access/access-scope';
import type { ParsedStatsQuery } from './report-schemas';

/**
 * The column label of each `subN` the report groups by, from the traffic sources' tokens ("zone"
 * for `sub1` when the sources fill `sub1` with a zone id). The sources considered are those the
 * report's filters select (traffic sources, or the sources of the chosen or granted campaigns), or
 * all of them; a label is given only where they agree (libs/core subLabels), so a column that mixes
 * meanings keeps its plain `subN` name. Campaigns count with their current source.
 */
@Injectable()
export class SubColumnLabels {
  constructor(
    private readonly sources: TrafficSourceRepository,
    private readonly campaigns: CampaignRepository,
  ) {}

  async of(q: Pick<ParsedStatsQuery, 'groupBy' | 'filters'>, scope: Pick<AccessScope, 'allowedCampaignIds'>): Promise<Partial<Record<SubParam, string>>> {
    const subs = q.groupBy.filter((d): d is SubParam => (SUB_PARAMS as readonly string[]).includes(d));
    if (subs.length === 0) return {};
    let sources = await this.sources.list();
    if (q.filters.trafficSource) {
      const wanted = new Set(q.filters.trafficSource.map((id) => id.toLowerCase()));
      sources = sources.filter((s) => wanted.has(s.id));
    }
    const campaignIds = q.filters.campaign ?? scope.allowedCampaignIds ?? undefined;
    if (campaignIds) {
      const wanted = new Set(campaignIds.map((id) => id.toLowerCase()));
      const used = new Set((await this.campaigns.list()).filter((c) => wanted.has(c.id)).map((c) => c.trafficSourceId));
      sources = sources.filter((s) => used.has(s.id));
    }
    const all = subLabels(sources.map((s) => s.tokens));
    return Object.fromEntries(subs.filter((s) => all[s] !== undefined).map((s) => [s, all[s]!]));
  }
}
