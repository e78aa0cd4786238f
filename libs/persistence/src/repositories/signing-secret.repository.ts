import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';

/** What the admin API may show of a network signing secret: everything but the secret. */
export interface SigningSecretView {
  id: string;
  networkId: string;
  label: string | null;
  createdAt: Date;
  revokedAt: Date | null;
}

const VIEW = `id, network_id AS "networkId", label, created_at AS "createdAt", revoked_at AS "revokedAt"`;

/** HMAC secrets networks sign postbacks with, stored sealed (SecretBox); the plain secret is shown once when made. */
export class SigningSecretRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(input: { networkId: string; sealed: string; label?: string | null }): Promise<SigningSecretView> {
    const { rows } = await this.db.query<SigningSecretView>(
      `INSERT INTO network_signing_secrets (network_id, sealed, label) VALUES ($1, $2, $3) RETURNING ${VIEW}`,
      [input.networkId, input.sealed, input.label ?? null],
    );
    return rows[0];
  }

  /** The sealed values of a network's active secrets, for verifying a request. */
  async activeSealed(networkId: string): Promise<string[]> {
    if (!isUuid(networkId)) return [];
    const { rows } = await this.db.query<{ sealed: string }>(
      'SELECT sealed FROM network_signing_secrets WHERE network_id = $1 AND revoked_at IS NULL ORDER BY created_at, id',
      [networkId],
    );
    return rows.map((r) => r.sealed);
  }

  async list(networkId: string): Promise<SigningSecretView[]> {
    if (!isUuid(networkId)) return [];
    const { rows } = await this.db.query<SigningSecretView>(`SELECT ${VIEW} FROM network_signing_secrets WHERE network_id = $1 ORDER BY created_at DESC, id`, [
      networkId,
    ]);
    return rows;
  }

  async countActive(networkId: string): Promise<number> {
    if (!isUuid(networkId)) return 0;
    const { rows } = await this.db.query<{ n: number }>('SELECT count(*)::int AS n FROM network_signing_secrets WHERE network_id = $1 AND revoked_at IS NULL', [
      networkId,
    ]);
    return rows[0].n;
  }

  /** Revokes one secret of one network; `undefined` when there is no such secret. Revoking twice keeps the first time. */
  async revoke(networkId: string, id: string): Promise<SigningSecretView | undefined> {
    if (!isUuid(networkId) || !isUuid(id)) return undefined;
    const { rows } = await this.db.query<SigningSecretView>(
      `UPDATE network_signing_secrets SET revoked_at = COALESCE(revoked_at, now()) WHERE id = $1 AND network_id = $2 RETURNING ${VIEW}`,
      [id, networkId],
    );
    return rows[0];
  }
}
