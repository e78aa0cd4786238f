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
const TYPES = ['text', 'uuid', 'text', ...SUB_PARAMS.map(() => 'text'), 'text', 'text', 'timestamptz'];
// One array parameter per column: the statement text is the same for every batch size, and a
// batch is 16 parameters however many rows it has (a VALUES list needs 16 per row, capped at 65535).
const INSERT = `INSERT INTO clicks (${COLUMNS.join(', ')})
  SELECT * FROM unnest(${TYPES.map((t, i) => `$${i + 1}::${t}[]`).join(', ')})
  ON CONFLICT (id) DO NOTHING`;

export class ClickRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Writes clicks in one statement; a batch of one is the plain case. A click whose id is already
   * stored is skipped, so a batch retried after an unclear failure (connection lost around the
   * commit) is not doubled.
   */
  async insertMany(clicks: readonly NewClick[]): Promise<void> {
    if (clicks.length === 0) return;
    const columns: unknown[][] = COLUMNS.map(() => new Array(clicks.length));
    clicks.forEach((click, row) => {
      columns[0][row] = click.id;
      columns[1][row] = click.campaignId;
      columns[2][row] = click.externalId ?? null;
      SUB_PARAMS.forEach((s, k) => (columns[3 + k][row] = click.subs[s] ?? null));
      columns[3 + SUB_PARAMS.length][row] = click.ip ?? null;
      columns[4 + SUB_PARAMS.length][row] = click.userAgent ?? null;
      columns[5 + SUB_PARAMS.length][row] = click.createdAt;
    });
    await this.db.query(INSERT, columns);
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
