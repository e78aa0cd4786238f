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
  /** When the key stops working although not revoked (its creator lost admin rights under the `expire` policy). */
  expiresAt: Date | null;
  /** The user who made it; null for keys made before creators were recorded and for the ADMIN_API_KEY key. */
  createdBy: { id: string | null; email: string } | null;
  /** While set the key is refused like a revoked one, but it can be enabled again. */
  disabledAt: Date | null;
  /** Bumped by every change; an edit names the version it was made from. */
  version: number;
}

/** What happens to the keys of a user who is deleted or stops being an admin. */
export type LostCreatorPolicy = { action: 'revoke' } | { action: 'expire'; afterHours: number };

const VIEW = `id, scope, network_id AS "networkId", label, created_at AS "createdAt", revoked_at AS "revokedAt", expires_at AS "expiresAt",
  disabled_at AS "disabledAt", version, CASE WHEN created_by_email IS NULL THEN NULL ELSE json_build_object('id', created_by, 'email', created_by_email) END AS "createdBy"`;
const LIVE = `revoked_at IS NULL AND disabled_at IS NULL AND (expires_at IS NULL OR expires_at > now())`;

/**
 * Ends the keys `userId` made that reach above what the user may still do, inside the caller's
 * transaction: an `admin` key once its creator is no admin, a `read` key too once the creator is a
 * client or deleted (`nowRole` null). A key must not keep rights its creator lost.
 */
export async function endKeysOfLostCreator(
  tx: SqlExecutor,
  userId: string,
  nowRole: 'admin' | 'manager' | 'client' | null,
  policy: LostCreatorPolicy,
): Promise<void> {
  const scopes: ApiKeyScope[] = nowRole === 'admin' ? [] : nowRole === 'manager' ? ['admin'] : ['admin', 'read'];
  if (!scopes.length) return;
  if (policy.action === 'revoke') {
    await tx.query(`UPDATE api_keys SET revoked_at = now() WHERE created_by = $1 AND scope = ANY($2::text[]) AND revoked_at IS NULL`, [userId, scopes]);
  } else {
    await tx.query(
      `UPDATE api_keys SET expires_at = LEAST(COALESCE(expires_at, 'infinity'), now() + make_interval(hours => $3))
       WHERE created_by = $1 AND scope = ANY($2::text[]) AND revoked_at IS NULL`,
      [userId, scopes, policy.afterHours],
    );
  }
}

/** API keys are stored only as hashes; the plain key is shown once when made. */
export class ApiKeyRepository {
  constructor(private readonly db: SqlExecutor) {}

  async findActiveByHash(hash: string): Promise<ApiKeyRecord | undefined> {
    const { rows } = await this.db.query<ApiKeyRecord>(`SELECT id, scope, network_id AS "networkId", label FROM api_keys WHERE key_hash = $1 AND ${LIVE}`, [
      hash,
    ]);
    return rows[0];
  }

  /** `createdBy` is the signed-in user making it; none for keys made by an API key or at boot. */
  async insert(input: {
    hash: string;
    scope: ApiKeyScope;
    networkId?: string | null;
    label?: string | null;
    createdBy?: { id: string; email: string } | null;
  }): Promise<ApiKeyRecord> {
    const { rows } = await this.db.query<ApiKeyRecord>(
      `INSERT INTO api_keys (key_hash, scope, network_id, label, created_by, created_by_email) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (key_hash) DO UPDATE SET revoked_at = NULL, expires_at = NULL
       RETURNING id, scope, network_id AS "networkId", label`,
      [input.hash, input.scope, input.networkId ?? null, input.label ?? null, input.createdBy?.id ?? null, input.createdBy?.email ?? null],
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

  /** Locks the key for the rest of the transaction and returns its version; undefined when there is no such key. */
  async lockVersion(id: string): Promise<number | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<{ version: number }>('SELECT version FROM api_keys WHERE id = $1 FOR UPDATE', [id])).rows[0]?.version;
  }

  /** Renames, disables (`disabled: true`) or enables a key; bumps its version. A revoked key stays revoked. */
  async update(id: string, patch: { label?: string | null; disabled?: boolean }): Promise<ApiKeyView | undefined> {
    if (!isUuid(id)) return undefined;
    const sets = ['version = version + 1'];
    const params: unknown[] = [id];
    if (patch.label !== undefined) sets.push(`label = $${params.push(patch.label)}`);
    if (patch.disabled !== undefined) sets.push(patch.disabled ? 'disabled_at = COALESCE(disabled_at, now())' : 'disabled_at = NULL');
    return (await this.db.query<ApiKeyView>(`UPDATE api_keys SET ${sets.join(', ')} WHERE id = $1 RETURNING ${VIEW}`, params)).rows[0];
  }

  async countActive(scope: ApiKeyScope): Promise<number> {
    const { rows } = await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM api_keys WHERE scope = $1 AND ${LIVE}`, [scope]);
    return rows[0].n;
  }
}
