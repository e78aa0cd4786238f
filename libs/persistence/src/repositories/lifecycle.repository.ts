import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';

/** The catalog tables that share one lifecycle (docs/lifecycle.md): version, tags, pause, archive, and (some) clone. */
export const CATALOG_TABLES = {
  network: { table: 'networks', cloneable: false },
  offer: { table: 'offers', cloneable: true },
  trafficSource: { table: 'traffic_sources', cloneable: false },
  campaign: { table: 'campaigns', cloneable: true },
} as const;
export type CatalogKind = keyof typeof CATALOG_TABLES;

/** What a lifecycle action changes; the marks given are set on every item at once. */
export interface LifecycleChange {
  paused?: boolean;
  archived?: boolean;
  addTags?: readonly string[];
  removeTags?: readonly string[];
}

/** Something that still refers to an item, so it cannot be deleted: `3 campaigns: A, B, C`. */
export interface Referrer {
  /** Plural noun: `campaigns`, `clicks`, `offers`. */
  what: string;
  count: number;
  /** Names of the first few, where they have names. */
  names: string[];
}

/** Columns a clone never copies: its own identity, history and lifecycle marks. */
const NOT_CLONED = ['id', 'name', 'version', 'created_at', 'updated_at', 'paused_at', 'archived_at', 'failing_since', 'consecutive_failures'];

/** Names a referrer list shows; the count says how many more there are. */
const NAMES_SHOWN = 5;

const named = (table: string, where: string, what: string) =>
  `SELECT '${what}' AS what, count(*)::int AS count, COALESCE((array_agg(name ORDER BY created_at, id))[1:${NAMES_SHOWN}], '{}') AS names FROM ${table} WHERE ${where}`;
const counted = (table: string, where: string, what: string) =>
  `SELECT '${what}' AS what, count(*)::int AS count, '{}'::text[] AS names FROM ${table} WHERE ${where}`;
// An existence probe rather than a count: a campaign's clicks can be millions.
const any = (table: string, where: string, what: string) =>
  `SELECT '${what}' AS what, (SELECT count(*)::int FROM (SELECT 1 FROM ${table} WHERE ${where} LIMIT 1000) x) AS count, '{}'::text[] AS names`;

/** Per kind: what refers to an item ($1), in the order a 409 names them. */
const REFERRERS: Record<CatalogKind, string[]> = {
  network: [
    named('offers', 'network_id = $1', 'offers'),
    any('conversions', 'network_id = $1', 'conversions'),
    any('postbacks', 'network_id = $1', 'postbacks'),
    counted('api_keys', `network_id = $1 AND revoked_at IS NULL`, 'active network API keys'),
  ],
  offer: [named('campaigns', 'offer_id = $1', 'campaigns')],
  trafficSource: [named('campaigns', 'traffic_source_id = $1', 'campaigns'), any('deliveries', 'traffic_source_id = $1', 'deliveries')],
  campaign: [
    any('clicks', 'campaign_id = $1', 'clicks'),
    any('conversions', 'campaign_id = $1', 'conversions'),
    // Rollups outlive their clicks (click retention): a campaign whose clicks are gone still has report figures.
    any('click_totals', 'campaign_id = $1', 'report figures'),
    counted('cost_corrections', 'campaign_id = $1', 'cost corrections'),
  ],
};

/** Rows owned by an item that go with it: revoked credentials, settings. Grants to a campaign go by ON DELETE CASCADE. */
const OWNED: Record<CatalogKind, string[]> = {
  network: ['DELETE FROM api_keys WHERE network_id = $1', 'DELETE FROM network_signing_secrets WHERE network_id = $1'],
  offer: ['DELETE FROM offer_goals WHERE offer_id = $1', 'DELETE FROM offer_fraud_policies WHERE offer_id = $1'],
  trafficSource: ['DELETE FROM traffic_source_secrets WHERE traffic_source_id = $1', 'DELETE FROM traffic_source_attempt_minutes WHERE traffic_source_id = $1'],
  campaign: ['DELETE FROM campaign_forwarding_rules WHERE campaign_id = $1', 'DELETE FROM campaign_fraud_policies WHERE campaign_id = $1'],
};

/**
 * The lifecycle of catalog items, the same for every kind: version checks, pause and archive marks, tags,
 * references that block a delete, the delete itself and clones. Run it on a transaction's executor so an
 * action and its audit record commit together.
 */
export class LifecycleRepository {
  constructor(private readonly db: SqlExecutor) {}

  /** Locks the item for the rest of the transaction and returns its version; undefined when there is no such item. */
  async lockVersion(kind: CatalogKind, id: string): Promise<number | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<{ version: number }>(`SELECT version FROM ${CATALOG_TABLES[kind].table} WHERE id = $1 FOR UPDATE`, [id]);
    return rows[0]?.version;
  }

  /** Counts one more change of the item. */
  async bumpVersion(kind: CatalogKind, id: string): Promise<void> {
    await this.db.query(`UPDATE ${CATALOG_TABLES[kind].table} SET version = version + 1 WHERE id = $1`, [id]);
  }

  /** The ids among `ids` that name no item of this kind (in the order given). */
  async missing(kind: CatalogKind, ids: readonly string[]): Promise<string[]> {
    const wellFormed = ids.filter(isUuid);
    const { rows } = await this.db.query<{ id: string }>(`SELECT id::text AS id FROM ${CATALOG_TABLES[kind].table} WHERE id = ANY($1::uuid[])`, [wellFormed]);
    const found = new Set(rows.map((r) => r.id.toLowerCase()));
    return ids.filter((id) => !found.has(id.toLowerCase()));
  }

  /**
   * Applies the change to every item in `ids` (all assumed to exist) and bumps their versions. Pausing an
   * item already paused keeps the time it was first paused; the same for archiving.
   */
  async apply(kind: CatalogKind, ids: readonly string[], change: LifecycleChange): Promise<void> {
    const sets = ['version = version + 1'];
    const params: unknown[] = [ids];
    if (change.paused !== undefined) sets.push(change.paused ? 'paused_at = COALESCE(paused_at, now())' : 'paused_at = NULL');
    if (change.archived !== undefined) sets.push(change.archived ? 'archived_at = COALESCE(archived_at, now())' : 'archived_at = NULL');
    // Tags stay a set in a stable order: added ones at the end (each once), removed ones out.
    let tags = 'tags';
    if (change.addTags?.length)
      tags = `(${tags} || ARRAY(SELECT DISTINCT t FROM unnest($${params.push(change.addTags)}::text[]) t WHERE NOT t = ANY(tags) ORDER BY 1))`;
    if (change.removeTags?.length)
      tags = `ARRAY(SELECT t FROM unnest(${tags}) WITH ORDINALITY u(t, n) WHERE NOT t = ANY($${params.push(change.removeTags)}::text[]) ORDER BY n)`;
    if (tags !== 'tags') sets.push(`tags = ${tags}`);
    await this.db.query(`UPDATE ${CATALOG_TABLES[kind].table} SET ${sets.join(', ')} WHERE id = ANY($1::uuid[])`, params);
  }

  /** What still refers to the item; empty when it can be deleted. */
  async referrers(kind: CatalogKind, id: string): Promise<Referrer[]> {
    const { rows } = await this.db.query<Referrer>(REFERRERS[kind].join(' UNION ALL '), [id]);
    return rows.map((r) => ({ ...r, count: Number(r.count) })).filter((r) => r.count > 0);
  }

  /** Deletes the item and what it owns; the caller checked {@link referrers} in the same transaction. */
  async delete(kind: CatalogKind, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    for (const sql of OWNED[kind]) await this.db.query(sql, [id]);
    return (await this.db.query(`DELETE FROM ${CATALOG_TABLES[kind].table} WHERE id = $1`, [id])).rowCount > 0;
  }

  /**
   * A copy of the item with a new id and the name `<name> (copy)`: every setting column is copied (read from
   * the catalog, so a column added later is copied too), none of its history (clicks, conversions) or marks.
   * An offer's goals come along, and a campaign's own forwarding rules. Returns the new id, or undefined when there is no such item.
   */
  async clone(kind: CatalogKind, id: string): Promise<string | undefined> {
    const { table, cloneable } = CATALOG_TABLES[kind];
    if (!cloneable) throw new Error(`a ${kind} cannot be cloned`);
    if (!isUuid(id)) return undefined;
    const { rows: columns } = await this.db.query<{ name: string }>(
      `SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1 AND NOT column_name = ANY($2::text[])
       ORDER BY ordinal_position`,
      [table, NOT_CLONED],
    );
    const copied = columns.map((c) => `"${c.name}"`).join(', ');
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO ${table} (name, ${copied}) SELECT left(name, 193) || ' (copy)', ${copied} FROM ${table} WHERE id = $1 RETURNING id`,
      [id],
    );
    const cloneId = rows[0]?.id;
    if (cloneId && kind === 'offer') {
      await this.db.query(`INSERT INTO offer_goals (offer_id, goal, many_per_click) SELECT $2, goal, many_per_click FROM offer_goals WHERE offer_id = $1`, [
        id,
        cloneId,
      ]);
      await this.db.query(`INSERT INTO offer_fraud_policies (offer_id, policy) SELECT $2, policy FROM offer_fraud_policies WHERE offer_id = $1`, [id, cloneId]);
    }
    if (cloneId && kind === 'campaign') {
      await this.db.query(`INSERT INTO campaign_fraud_policies (campaign_id, policy) SELECT $2, policy FROM campaign_fraud_policies WHERE campaign_id = $1`, [
        id,
        cloneId,
      ]);
      await this.db.query(
        `INSERT INTO campaign_forwarding_rules (campaign_id, goals, statuses, payout_share_type, payout_share_value, payout_share_currency, retry_schedule_ms)
         SELECT $2, goals, statuses, payout_share_type, payout_share_value, payout_share_currency, retry_schedule_ms FROM campaign_forwarding_rules WHERE campaign_id = $1`,
        [id, cloneId],
      );
    }
    return cloneId;
  }
}
