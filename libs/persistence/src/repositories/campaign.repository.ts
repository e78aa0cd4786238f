import type { SqlExecutor } from '../client/sql-client';
import type { Campaign } from './catalog.types';
import { isUuid } from './ids';

const CAMPAIGN = `id, name, traffic_source_id AS "trafficSourceId", offer_id AS "offerId", external_id_param AS "externalIdParam", created_at AS "createdAt"`;

/** Campaigns: a traffic source buying an offer; clicks belong to them. */
export class CampaignRepository {
  constructor(private readonly db: SqlExecutor) {}
  async create(input: { name: string; trafficSourceId: string; offerId: string; externalIdParam?: string }): Promise<Campaign> {
    const { rows } = await this.db.query<Campaign>(
      `INSERT INTO campaigns (name, traffic_source_id, offer_id, external_id_param) VALUES ($1, $2, $3, COALESCE($4, 'external_id')) RETURNING ${CAMPAIGN}`,
      [input.name, input.trafficSourceId, input.offerId, input.externalIdParam ?? null],
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
  /** What a click needs to redirect: the offer URL and the parameter that carries the source's click id. */
  async getRoute(id: string): Promise<{ campaignId: string; offerUrl: string; externalIdParam: string } | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<{ campaignId: string; offerUrl: string; externalIdParam: string }>(
      `SELECT c.id AS "campaignId", o.url AS "offerUrl", c.external_id_param AS "externalIdParam"
       FROM campaigns c JOIN offers o ON o.id = c.offer_id WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }
}
