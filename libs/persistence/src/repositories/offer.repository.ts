import type { SqlExecutor } from '../client/sql-client';
import type { Offer } from './catalog.types';
import { isUuid } from './ids';

const OFFER = `id, name, network_id AS "networkId", url, payout, version, tags, paused_at AS "pausedAt", archived_at AS "archivedAt", created_at AS "createdAt"`;

/** Offers: the landing URLs a campaign sends clicks to, with their default payout. */
export class OfferRepository {
  constructor(private readonly db: SqlExecutor) {}
  async create(input: { name: string; networkId: string; url: string; payout?: string | null; tags?: string[] }): Promise<Offer> {
    const { rows } = await this.db.query<Offer>(
      `INSERT INTO offers (name, network_id, url, payout, tags) VALUES ($1, $2, $3, $4, COALESCE($5::text[], '{}')) RETURNING ${OFFER}`,
      [input.name, input.networkId, input.url, input.payout ?? null, input.tags ?? null],
    );
    return rows[0];
  }
  /** Changes the given fields; `payout: null` clears the default payout. Conversions already stored keep theirs. */
  async update(id: string, patch: { name?: string; networkId?: string; url?: string; payout?: string | null; tags?: string[] }): Promise<Offer | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<Offer>(
      `UPDATE offers SET name = COALESCE($2, name), network_id = COALESCE($3::uuid, network_id), url = COALESCE($4, url),
              payout = CASE WHEN $5::boolean THEN $6::numeric ELSE payout END, tags = COALESCE($7::text[], tags)
       WHERE id = $1 RETURNING ${OFFER}`,
      [id, patch.name ?? null, patch.networkId ?? null, patch.url ?? null, patch.payout !== undefined, patch.payout ?? null, patch.tags ?? null],
    );
    return rows[0];
  }

  async list(): Promise<Offer[]> {
    return (await this.db.query<Offer>(`SELECT ${OFFER} FROM offers ORDER BY created_at, id`)).rows;
  }
  async get(id: string): Promise<Offer | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<Offer>(`SELECT ${OFFER} FROM offers WHERE id = $1`, [id])).rows[0];
  }

  /** Goals with a setting of their own; any other goal is one conversion per click. */
  async listGoals(offerId: string): Promise<Array<{ goal: string; manyPerClick: boolean }>> {
    if (!isUuid(offerId)) return [];
    const { rows } = await this.db.query<{ goal: string; manyPerClick: boolean }>(
      `SELECT goal, many_per_click AS "manyPerClick" FROM offer_goals WHERE offer_id = $1 ORDER BY goal`,
      [offerId],
    );
    return rows;
  }

  async setGoal(offerId: string, goal: string, manyPerClick: boolean): Promise<{ goal: string; manyPerClick: boolean }> {
    const { rows } = await this.db.query<{ goal: string; manyPerClick: boolean }>(
      `INSERT INTO offer_goals (offer_id, goal, many_per_click) VALUES ($1, $2, $3)
       ON CONFLICT (offer_id, goal) DO UPDATE SET many_per_click = EXCLUDED.many_per_click
       RETURNING goal, many_per_click AS "manyPerClick"`,
      [offerId, goal, manyPerClick],
    );
    return rows[0];
  }
}
