import { SUB_PARAMS, type Subs } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';

export interface NewClick {
  id: string;
  campaignId: string;
  externalId?: string;
  subs: Subs;
  ip?: string;
  userAgent?: string;
  createdAt: Date;
}

const COLUMNS = ['id', 'campaign_id', 'external_id', ...SUB_PARAMS, 'ip', 'user_agent', 'created_at'];

export class ClickRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Writes clicks in one multi-row INSERT; a batch of one is the plain case. */
  async insertMany(clicks: readonly NewClick[]): Promise<void> {
    if (clicks.length === 0) return;
    const params: unknown[] = [];
    const tuples = clicks.map((click) => {
      const values = [click.id, click.campaignId, click.externalId ?? null, ...SUB_PARAMS.map((s) => click.subs[s] ?? null), click.ip ?? null, click.userAgent ?? null, click.createdAt];
      const start = params.length;
      params.push(...values);
      return `(${values.map((_, i) => `$${start + i + 1}`).join(', ')})`;
    });
    await this.db.query(`INSERT INTO clicks (${COLUMNS.join(', ')}) VALUES ${tuples.join(', ')}`, params);
  }

  async count(campaignId?: string): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(
      campaignId ? 'SELECT count(*)::int AS n FROM clicks WHERE campaign_id = $1' : 'SELECT count(*)::int AS n FROM clicks',
      campaignId ? [campaignId] : [],
    );
    return rows[0].n;
  }

  async get(id: string): Promise<(NewClick & { subs: Subs }) | undefined> {
    const { rows } = await this.db.query<Record<string, unknown>>(`SELECT ${COLUMNS.join(', ')} FROM clicks WHERE id = $1`, [id]);
    const row = rows[0];
    if (!row) return undefined;
    const subs: Subs = {};
    for (const s of SUB_PARAMS) if (row[s] != null) subs[s] = row[s] as string;
    return {
      id: row.id as string,
      campaignId: row.campaign_id as string,
      externalId: (row.external_id as string | null) ?? undefined,
      subs,
      ip: (row.ip as string | null) ?? undefined,
      userAgent: (row.user_agent as string | null) ?? undefined,
      createdAt: row.created_at as Date,
    };
  }
}
