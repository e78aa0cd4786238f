import type { SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** Server-side console sessions, stored by the sha256 of their id; revoking one signs it out everywhere at once. */
export class SessionRepository {
  constructor(private readonly db: SqlExecutor) {}

  async create(input: { idHash: string; userId: string; csrfToken: string; expiresAt: Date }): Promise<void> {
    await this.db.query(`INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at) VALUES ($1, $2, $3, $4)`, [
      input.idHash,
      input.userId,
      input.csrfToken,
      input.expiresAt,
    ]);
  }

  /** The session if it is neither revoked nor expired. */
  async findActive(idHash: string): Promise<SessionRecord | undefined> {
    const { rows } = await this.db.query<SessionRecord>(
      `SELECT id_hash AS "idHash", user_id AS "userId", csrf_token AS "csrfToken", expires_at AS "expiresAt"
       FROM sessions WHERE id_hash = $1 AND revoked_at IS NULL AND expires_at > now()`,
      [idHash],
    );
    return rows[0];
  }

  async revoke(idHash: string): Promise<void> {
    await this.db.query(`UPDATE sessions SET revoked_at = COALESCE(revoked_at, now()) WHERE id_hash = $1`, [idHash]);
  }

  /** Ends every session of a user (password change, account change), optionally but one. */
  async revokeAllOf(userId: string, except?: string): Promise<void> {
    if (!isUuid(userId)) return;
    await this.db.query(`UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL AND id_hash IS DISTINCT FROM $2`, [
      userId,
      except ?? null,
    ]);
  }

  /** Forgets sessions that ended more than a day ago, so the table does not grow forever. */
  async prune(): Promise<void> {
    await this.db.query(`DELETE FROM sessions WHERE COALESCE(revoked_at, expires_at) < now() - interval '1 day'`);
  }
}
