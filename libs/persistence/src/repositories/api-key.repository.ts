import type { SqlExecutor } from '../client/sql-client';

export type ApiKeyScope = 'admin' | 'read' | 'network';

export interface ApiKeyRecord {
  id: string;
  scope: ApiKeyScope;
  networkId: string | null;
  label: string | null;
}

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

  async countActive(scope: ApiKeyScope): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE scope = $1 AND revoked_at IS NULL`, [scope]);
    return rows[0].n;
  }
}
