import type { SqlExecutor } from '../client/sql-client';
import type { Campaign, CampaignCostSettings, CostModel } from './catalog.types';
import { isUuid } from './ids';

// numeric comes back as "0.050000": trimmed to "0.05" in SQL so the API shows the value as given.
const COST_VALUE = `CASE WHEN cost_value IS NULL THEN NULL ELSE trim(trailing '.' FROM trim(trailing '0' FROM cost_value::text)) END`;
const CAMPAIGN = `id, name, traffic_source_id AS "trafficSourceId", offer_id AS "offerId", external_id_param AS "externalIdParam",
  cost_model AS "costModel", ${COST_VALUE} AS "costValue", cost_param AS "costParam", created_at AS "createdAt"`;

/** What a click needs: where to redirect, and how to price it. */
export interface CampaignRoute {
  campaignId: string;
  offerUrl: string;
  externalIdParam: string;
  costModel: CostModel;
  costValue: string | null;
  costParam: string;
}

/** Campaigns: a traffic source buying an offer; clicks belong to them. */
export class CampaignRepository {
  constructor(private readonly db: SqlExecutor) {}
  async create(input: { name: string; trafficSourceId: string; offerId: string; externalIdParam?: string } & CampaignCostSettings): Promise<Campaign> {
    const { rows } = await this.db.query<Campaign>(
      `INSERT INTO campaigns (name, traffic_source_id, offer_id, external_id_param, cost_model, cost_value, cost_param)
       VALUES ($1, $2, $3, COALESCE($4, 'external_id'), COALESCE($5, 'none'), $6, COALESCE($7, 'cost')) RETURNING ${CAMPAIGN}`,
      [
        input.name,
        input.trafficSourceId,
        input.offerId,
        input.externalIdParam ?? null,
        input.costModel ?? null,
        input.costValue ?? null,
        input.costParam ?? null,
      ],
    );
    return rows[0];
  }
  /** Changes the cost settings; costs already stored (clicks, conversions) keep the price they were given. */
  async updateCost(id: string, input: CampaignCostSettings): Promise<Campaign | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<Campaign>(
      `UPDATE campaigns SET cost_model = COALESCE($2, cost_model), cost_value = CASE WHEN $3::boolean THEN $4::numeric ELSE cost_value END,
              cost_param = COALESCE($5, cost_param)
       WHERE id = $1 RETURNING ${CAMPAIGN}`,
      [id, input.costModel ?? null, input.costValue !== undefined, input.costValue ?? null, input.costParam ?? null],
    );
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
    const { rows } = await this.db.query<CampaignRoute>(
      `SELECT c.id AS "campaignId", o.url AS "offerUrl", c.external_id_param AS "externalIdParam",
              c.cost_model AS "costModel", c.cost_value::text AS "costValue", c.cost_param AS "costParam"
       FROM campaigns c JOIN offers o ON o.id = c.offer_id WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }
}
