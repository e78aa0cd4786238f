import type { SqlClient } from '../client/sql-client';
import { isUuid } from './ids';

/** A user's named report view: the report's URL state (`query`), as the console keeps it. */
export interface SavedReport {
  id: string;
  name: string;
  /** The report's query string, without `?` (`range=7d&groupBy=campaign&tz=Asia%2FKolkata…`). */
  query: string;
  createdAt: Date;
  updatedAt: Date;
}

/** Why a saved report was not stored. */
export type SavedReportRefusal = 'name_taken' | 'limit_reached';

/** How many saved reports one user may keep: a list a person reads, and a bound on what one account can store. */
export const MAX_SAVED_REPORTS_PER_USER = 100;

const VIEW = `id, name, query, created_at AS "createdAt", updated_at AS "updatedAt"`;
const uniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === '23505';

/**
 * Saved reports, always of one user: every statement is bound to the owner, so another user's
 * report is not found rather than refused (its id cannot be probed).
 */
export class SavedReportRepository {
  constructor(private readonly db: SqlClient) {}

  /** The user's saved reports by name. */
  async list(userId: string): Promise<SavedReport[]> {
    const { rows } = await this.db.query<SavedReport>(`SELECT ${VIEW} FROM saved_reports WHERE user_id = $1 ORDER BY lower(name), id`, [userId]);
    return rows;
  }

  async get(userId: string, id: string): Promise<SavedReport | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<SavedReport>(`SELECT ${VIEW} FROM saved_reports WHERE user_id = $1 AND id = $2`, [userId, id])).rows[0];
  }

  /** Stores a new one, unless the user has one of that name (any case) or keeps {@link MAX_SAVED_REPORTS_PER_USER} already. */
  async create(userId: string, input: { name: string; query: string }): Promise<SavedReport | SavedReportRefusal> {
    try {
      // The count and the insert in one statement: no window between them for a second request.
      const { rows } = await this.db.query<SavedReport>(
        `INSERT INTO saved_reports (user_id, name, query)
         SELECT $1, $2, $3 WHERE (SELECT count(*) FROM saved_reports WHERE user_id = $1) < $4
         RETURNING ${VIEW}`,
        [userId, input.name, input.query, MAX_SAVED_REPORTS_PER_USER],
      );
      return rows[0] ?? 'limit_reached';
    } catch (error) {
      if (uniqueViolation(error)) return 'name_taken';
      throw error;
    }
  }

  /** Renames it or replaces its query; undefined when the user has no such report. */
  async update(userId: string, id: string, patch: { name?: string; query?: string }): Promise<SavedReport | 'name_taken' | undefined> {
    if (!isUuid(id)) return undefined;
    try {
      const { rows } = await this.db.query<SavedReport>(
        `UPDATE saved_reports SET name = COALESCE($3, name), query = COALESCE($4, query), updated_at = now()
         WHERE user_id = $1 AND id = $2 RETURNING ${VIEW}`,
        [userId, id, patch.name ?? null, patch.query ?? null],
      );
      return rows[0];
    } catch (error) {
      if (uniqueViolation(error)) return 'name_taken';
      throw error;
    }
  }

  /** True when it was the user's and is gone. */
  async delete(userId: string, id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const { rows } = await this.db.query(`DELETE FROM saved_reports WHERE user_id = $1 AND id = $2 RETURNING id`, [userId, id]);
    return rows.length > 0;
  }
}
