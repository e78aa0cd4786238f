import type { SqlClient } from '../client/sql-client';
import { isUuid } from './ids';

export interface SessionRecord {
  idHash: string;
  userId: string;
  csrfToken: string;
  expiresAt: Date;
}

/** What a user is shown of one of its own live sessions. `id` is the stored sha256, which signs nobody in. */
export interface SessionView {
  id: string;
  createdAt: Date;
  expiresAt: Date;
  userAgent: string | null;
}

/** Server-side console sessions, stored by the sha256 of their id; revoking one signs it out everywhere at once. */
export class SessionRepository {
  constructor(private readonly db: SqlClient) {}

  /**
   * Stores a new session; with `keepAtMost`, ends the user's oldest live sessions beyond that many. The
   * user's row is locked for the insert and the trim, so concurrent sign-ins cannot overshoot the cap.
   */
  async create(input: { idHash: string; userId: string; csrfToken: string; expiresAt: Date; userAgent?: string | null }, keepAtMost?: number): Promise<void> {
    await this.db.transaction(async (tx) => {
      if (keepAtMost !== undefined) await tx.query(`SELECT 1 FROM users WHERE id = $1 FOR UPDATE`, [input.userId]);
      await tx.query(`INSERT INTO sessions (id_hash, user_id, csrf_token, expires_at, user_agent) VALUES ($1, $2, $3, $4, $5)`, [
        input.idHash,
        input.userId,
        input.csrfToken,
        input.expiresAt,
        input.userAgent?.slice(0, 256) ?? null,
      ]);
      if (keepAtMost === undefined) return;
      await tx.query(
        `UPDATE sessions SET revoked_at = now()
         WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() AND id_hash NOT IN (
           SELECT id_hash FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC, id_hash = $2 DESC LIMIT $3)`,
        [input.userId, input.idHash, keepAtMost],
      );
    });
  }

  /** The user's live sessions, newest first. */
  async listActiveOf(userId: string): Promise<SessionView[]> {
    if (!isUuid(userId)) return [];
    const { rows } = await this.db.query<SessionView>(
      `SELECT id_hash AS id, created_at AS "createdAt", expires_at AS "expiresAt", user_agent AS "userAgent"
       FROM sessions WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() ORDER BY created_at DESC, id_hash`,
      [userId],
    );
    return rows;
  }

  /** Ends one live session of the user; false when the user has no such live session. */
  async revokeOneOf(userId: string, idHash: string): Promise<boolean> {
    if (!isUuid(userId)) return false;
    const { rows } = await this.db.query(
      `UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND id_hash = $2 AND revoked_at IS NULL AND expires_at > now() RETURNING id_hash`,
      [userId, idHash],
    );
    return rows.length > 0;
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
