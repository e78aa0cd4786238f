import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { isUuid } from './ids';

export type UserRole = 'admin' | 'manager' | 'client';
export const USER_ROLES: readonly UserRole[] = ['admin', 'manager', 'client'];

/** A console account as the API shows it: never its password hash. */
export interface User {
  id: string;
  email: string;
  role: UserRole;
  /** The campaigns a `client` may see; empty for admins and managers, who see all. */
  campaignIds: string[];
  hideProfit: boolean;
  /** IANA zone the console shows dates in. */
  timeZone: string;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  role: UserRole;
  campaignIds?: string[];
  hideProfit?: boolean;
  timeZone?: string;
}

export type UserPatch = Partial<Omit<NewUser, 'email'>> & { email?: string };

/** The e-mail address is taken already (compared without case). */
export class EmailTaken extends Error {
  constructor(readonly email: string) {
    super(`email: "${email}" already has an account`);
  }
}

const VIEW = `u.id, u.email, u.role, u.hide_profit AS "hideProfit", u.time_zone AS "timeZone", u.created_at AS "createdAt", u.updated_at AS "updatedAt",
  COALESCE((SELECT array_agg(c.campaign_id::text ORDER BY c.campaign_id) FROM user_campaigns c WHERE c.user_id = u.id), '{}') AS "campaignIds"`;

const uniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === '23505';

/** Console accounts and the campaigns granted to each. */
export class UserRepository {
  constructor(private readonly db: SqlClient) {}

  async count(): Promise<number> {
    return (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`)).rows[0].n;
  }

  async countByRole(role: UserRole): Promise<number> {
    return (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users WHERE role = $1`, [role])).rows[0].n;
  }

  async list(): Promise<User[]> {
    return (await this.db.query<User>(`SELECT ${VIEW} FROM users u ORDER BY lower(u.email)`)).rows;
  }

  async get(id: string, db: SqlExecutor = this.db): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    return (await db.query<User>(`SELECT ${VIEW} FROM users u WHERE u.id = $1`, [id])).rows[0];
  }

  /** The account and its password hash, for sign-in; the address is matched without case. */
  async findForSignIn(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const { rows } = await this.db.query<User & { passwordHash: string }>(
      `SELECT ${VIEW}, u.password_hash AS "passwordHash" FROM users u WHERE lower(u.email) = lower($1)`,
      [email],
    );
    if (!rows[0]) return undefined;
    const { passwordHash, ...user } = rows[0];
    return { user, passwordHash };
  }

  async passwordHash(id: string): Promise<string | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<{ h: string }>(`SELECT password_hash AS h FROM users WHERE id = $1`, [id])).rows[0]?.h;
  }

  /** @throws {EmailTaken} when another account has this address. */
  async create(input: NewUser): Promise<User> {
    try {
      return await this.db.transaction(async (tx) => {
        const { rows } = await tx.query<{ id: string }>(
          `INSERT INTO users (email, password_hash, role, hide_profit, time_zone) VALUES ($1, $2, $3, $4, $5) RETURNING id`,
          [input.email, input.passwordHash, input.role, input.hideProfit ?? false, input.timeZone ?? 'UTC'],
        );
        await this.grant(tx, rows[0].id, input.campaignIds ?? []);
        return (await this.get(rows[0].id, tx))!;
      });
    } catch (error) {
      if (uniqueViolation(error)) throw new EmailTaken(input.email);
      throw error;
    }
  }

  /** Changes the fields given; `campaignIds` replaces the whole grant list. @throws {EmailTaken} */
  async update(id: string, patch: UserPatch): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    try {
      return await this.db.transaction(async (tx) => {
        const sets: string[] = [];
        const params: unknown[] = [id];
        const set = (column: string, value: unknown) => sets.push(`${column} = $${params.push(value)}`);
        if (patch.email !== undefined) set('email', patch.email);
        if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
        if (patch.role !== undefined) set('role', patch.role);
        if (patch.hideProfit !== undefined) set('hide_profit', patch.hideProfit);
        if (patch.timeZone !== undefined) set('time_zone', patch.timeZone);
        const { rows } = await tx.query(`UPDATE users SET ${[...sets, 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING id`, params);
        if (!rows[0]) return undefined;
        if (patch.campaignIds !== undefined) {
          await tx.query(`DELETE FROM user_campaigns WHERE user_id = $1`, [id]);
          await this.grant(tx, id, patch.campaignIds);
        }
        return this.get(id, tx);
      });
    } catch (error) {
      if (uniqueViolation(error)) throw new EmailTaken(patch.email ?? '');
      throw error;
    }
  }

  async delete(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    return (await this.db.query(`DELETE FROM users WHERE id = $1 RETURNING id`, [id])).rows.length > 0;
  }

  /** Which of these ids name no campaign (so the API can refuse a grant naming it). */
  async unknownCampaigns(ids: readonly string[]): Promise<string[]> {
    const malformed = ids.filter((id) => !isUuid(id));
    const wellFormed = ids.filter(isUuid);
    if (!wellFormed.length) return malformed;
    const { rows } = await this.db.query<{ id: string }>(`SELECT id::text AS id FROM campaigns WHERE id = ANY($1::uuid[])`, [wellFormed]);
    const known = new Set(rows.map((r) => r.id));
    return [...malformed, ...wellFormed.filter((id) => !known.has(id.toLowerCase()))];
  }

  private async grant(tx: SqlExecutor, userId: string, campaignIds: readonly string[]): Promise<void> {
    if (!campaignIds.length) return;
    await tx.query(`INSERT INTO user_campaigns (user_id, campaign_id) SELECT $1, unnest($2::uuid[]) ON CONFLICT DO NOTHING`, [
      userId,
      [...new Set(campaignIds)],
    ]);
  }
}
