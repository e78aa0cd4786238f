import { layerFraudPolicies, type FraudPolicy } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import type { Campaign, CampaignCostSettings, CostModel } from './catalog.types';
import { isUuid } from './ids';

// numeric comes back as "0.050000": trimmed to "0.05" in SQL so the API shows the value as given.
const COST_VALUE = `CASE WHEN cost_value IS NULL THEN NULL ELSE trim(trailing '.' FROM trim(trailing '0' FROM cost_value::text)) END`;
const CAMPAIGN = `id, name, traffic_source_id AS "trafficSourceId", offer_id AS "offerId", external_id_param AS "externalIdParam",
  cost_model AS "costModel", ${COST_VALUE} AS "costValue", cost_param AS "costParam", paused_at AS "pausedAt", paused_url AS "pausedUrl",
  (SELECT count(*)::int FROM clicks k WHERE k.campaign_id = campaigns.id AND k.paused) AS "pausedClicks", version, tags, archived_at AS "archivedAt",
  (SELECT o.paused_at FROM offers o WHERE o.id = campaigns.offer_id) AS "offerPausedAt", created_at AS "createdAt"`;

/** The fields of a campaign that can change after it is made. */
export interface CampaignPatch extends CampaignCostSettings {
  name?: string;
  trafficSourceId?: string;
  offerId?: string;
  externalIdParam?: string;
  pausedUrl?: string | null;
  tags?: string[];
}

/** What a click needs: where to redirect, and how to price it. */
export interface CampaignRoute {
  campaignId: string;
  /** The offer the campaign points to now: stored on each click as the offer it was sent to (migration 028). */
  offerId: string;
  offerUrl: string;
  /**
   * The campaign is paused or archived, or its offer is paused: its clicks go to `pausedUrl` (else the install's
   * default) and are counted apart.
   */
  paused: boolean;
  pausedUrl: string | null;
  externalIdParam: string;
  costModel: CostModel;
  costValue: string | null;
  costParam: string;
  /** The stored fraud policy: the offer's with the campaign's laid over it by `layerFraudPolicies` (`{}`: the defaults). */
  fraudPolicy: Partial<FraudPolicy>;
}

/** Campaigns: a traffic source buying an offer; clicks belong to them. */
export class CampaignRepository {
  constructor(private readonly db: SqlExecutor) {}
  async create(
    input: {
      name: string;
      trafficSourceId: string;
      offerId: string;
      externalIdParam?: string;
      pausedUrl?: string | null;
      tags?: string[];
    } & CampaignCostSettings,
  ): Promise<Campaign> {
    const { rows } = await this.db.query<Campaign>(
      `INSERT INTO campaigns (name, traffic_source_id, offer_id, external_id_param, cost_model, cost_value, cost_param, paused_url, tags)
       VALUES ($1, $2, $3, COALESCE($4, 'external_id'), COALESCE($5, 'none'), $6, COALESCE($7, 'cost'), $8, COALESCE($9::text[], '{}')) RETURNING ${CAMPAIGN}`,
      [
        input.name,
        input.trafficSourceId,
        input.offerId,
        input.externalIdParam ?? null,
        input.costModel ?? null,
        input.costValue ?? null,
        input.costParam ?? null,
        input.pausedUrl ?? null,
        input.tags ?? null,
      ],
    );
    return rows[0];
  }
  /** Changes the cost settings; costs already stored (clicks, conversions) keep the price they were given. */
  async updateCost(id: string, input: CampaignCostSettings): Promise<Campaign | undefined> {
    return this.update(id, input);
  }

  /**
   * Changes the given fields (`undefined` leaves one as it is, `null` clears a nullable one). Clicks and
   * conversions already stored keep the offer, source and price they had (reports count them as they were).
   */
  async update(id: string, patch: CampaignPatch): Promise<Campaign | undefined> {
    if (!isUuid(id)) return undefined;
    const sets: string[] = [];
    const params: unknown[] = [id];
    const set = (column: string, value: unknown, cast = '') => {
      if (value === undefined) return;
      params.push(value);
      sets.push(`${column} = $${params.length}${cast}`);
    };
    set('name', patch.name);
    set('traffic_source_id', patch.trafficSourceId, '::uuid');
    set('offer_id', patch.offerId, '::uuid');
    set('external_id_param', patch.externalIdParam);
    set('cost_model', patch.costModel);
    set('cost_value', patch.costValue, '::numeric');
    set('cost_param', patch.costParam);
    set('paused_url', patch.pausedUrl);
    set('tags', patch.tags, '::text[]');
    if (sets.length === 0) return this.get(id);
    const { rows } = await this.db.query<Campaign>(`UPDATE campaigns SET ${sets.join(', ')} WHERE id = $1 RETURNING ${CAMPAIGN}`, params);
    return rows[0];
  }

  async list(): Promise<Campaign[]> {
    return (await this.db.query<Campaign>(`SELECT ${CAMPAIGN} FROM campaigns ORDER BY created_at, id`)).rows;
  }
  async get(id: string): Promise<Campaign | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<Campaign>(`SELECT ${CAMPAIGN} FROM campaigns WHERE id = $1`, [id])).rows[0];
  }
  /** What a click needs to redirect and be priced: the offer URL, the source's click-id parameter, the cost model. */
  async getRoute(id: string): Promise<CampaignRoute | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<
      Omit<CampaignRoute, 'fraudPolicy'> & { offerPolicy: Partial<FraudPolicy> | null; campaignPolicy: Partial<FraudPolicy> | null }
    >(
      `SELECT c.id AS "campaignId", o.id AS "offerId", o.url AS "offerUrl", c.external_id_param AS "externalIdParam",
              c.cost_model AS "costModel", c.cost_value::text AS "costValue", c.cost_param AS "costParam",
              (c.paused_at IS NOT NULL OR c.archived_at IS NOT NULL OR o.paused_at IS NOT NULL) AS paused, c.paused_url AS "pausedUrl",
              ofp.policy AS "offerPolicy", cfp.policy AS "campaignPolicy"
       FROM campaigns c JOIN offers o ON o.id = c.offer_id
       LEFT JOIN campaign_fraud_policies cfp ON cfp.campaign_id = c.id LEFT JOIN offer_fraud_policies ofp ON ofp.offer_id = o.id
       WHERE c.id = $1`,
      [id],
    );
    if (!rows[0]) return undefined;
    const { offerPolicy, campaignPolicy, ...route } = rows[0];
    // The same layering as a conversion's (postback-batch/click-context): one function for both.
    return { ...route, fraudPolicy: layerFraudPolicies(offerPolicy, campaignPolicy) };
  }
}
