import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';

export type ApiKeyScope = 'admin' | 'read' | 'network';

export interface ApiKeyRecord {
  id: string;
  scope: ApiKeyScope;
  networkId: string | null;
  label: string | null;
}

/** What the admin API may show of a key: everything but its hash. */
export interface ApiKeyView extends ApiKeyRecord {
  createdAt: Date;
  revokedAt: Date | null;
}

const VIEW = `id, scope, network_id AS "networkId", label, created_at AS "createdAt", revoked_at AS "revokedAt"`;

/** API keys are stored only as hashes; the plain key is shown once when made. */
export class ApiKeyRepository {
  constructor(private readonly db: SqlExecutor) {}

  async findActiveByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.db.query<ApiKeyRecord>(
      `SELECT id, scope, network_id AS "networkId", label FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [hash],
    );
    return rows[0];
  }

  async insert(input: { hash: string; scope: ApiKeyScope; networkId?: string | null; label?: string | null }): Promise<ApiKeyRecord> {
    const { rows } = await this.db.query<ApiKeyRecord>(
      `INSERT INTO api_keys (key_hash, scope, network_id, label) VALUES ($1, $2, $3, $4)
       ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL
       RETURNING id, scope, network_id AS "networkId", label`,
      [input.hash, input.scope, input.networkId ?? null, input.label ?? null],
    );
    return rows[0];
  }

  /** Key metadata (never the hash), newest first: admin and read keys, or the keys of one network. */
  async list(filter: { networkId: string } | { scopes: ApiKeyScope[] }): Promise<ApiKeyView[]> {
    const byNetwork = 'networkId' in filter;
    if (byNetwork && !isUuid(filter.networkId)) return [];
    const { rows } = await this.db.query<ApiKeyView>(
      `SELECT ${VIEW} FROM api_keys WHERE ${byNetwork ? 'network_id = $1' : 'scope = ANY($1::text[])'} ORDER BY created_at DESC, id`,
      [byNetwork ? filter.networkId : filter.scopes],
    );
    return rows;
  }

  async get(id: string): Promise<ApiKeyView | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<ApiKeyView>(`SELECT ${VIEW} FROM api_keys WHERE id = $1`, [id])).rows[0];
  }

  /** Revokes a key if it matches `where`; returns it, or `undefined` when there is no such key. Revoking twice keeps the first time. */
  async revoke(id: string, where: { networkId: string } | { scopes: ApiKeyScope[] }): Promise<ApiKeyView | undefined> {
    if (!isUuid(id)) return undefined;
    const byNetwork = 'networkId' in where;
    if (byNetwork && !isUuid(where.networkId)) return undefined;
    const { rows } = await this.db.query<ApiKeyView>(
      `UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now())
       WHERE id = $1 AND ${byNetwork ? 'network_id = $2' : 'scope = ANY($2::text[])'} RETURNING ${VIEW}`,
      [id, byNetwork ? where.networkId : where.scopes],
    );
    return rows[0];
  }

  async countActive(scope: ApiKeyScope): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE scope = $1 AND revoked_at IS NULL`, [scope]);
    return rows[0].n;
  }
}
