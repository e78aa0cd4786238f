import { canonicalEmail, type ClientViewExtra } from '@postwire/core';
import type { SqlClient, SqlExecutor } from '../client/sql-client';
import { endKeysOfLostCreator, type LostCreatorPolicy } from './api-key.repository';
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
  /** What a `client` sees beyond its default view (source names and URLs, visitor IP and user agent, raw postback parameters). */
  clientSees: ClientViewExtra[];
  /** IANA zone the console shows dates in. */
  timeZone: string;
  /** A display name; null: the e-mail address is shown. */
  name: string | null;
  /** While set the account cannot sign in and has no session (docs/lifecycle.md). */
  disabledAt: Date | null;
  /** Bumped by every change; an edit names the version it was made from. */
  version: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface NewUser {
  email: string;
  passwordHash: string;
  role: UserRole;
  campaignIds?: string[];
  hideProfit?: boolean;
  clientSees?: ClientViewExtra[];
  timeZone?: string;
  name?: string | null;
}

export type UserPatch = Partial<Omit<NewUser, 'email'>> & {
  email?: string;
  /** true disables the account (its sessions end, its API keys as for a lost admin); false enables it again. */
  disabled?: boolean;
};

/** Options of a change: the version it was made from, and what to do with the result inside its transaction (the audit record). */
export interface UserChangeOptions {
  expectedVersion?: number;
  onChanged?: (tx: SqlExecutor, before: User, after: User) => Promise<void>;
}

/** The edit was made from an older version than the stored one. */
export class StaleUserVersion extends Error {
  constructor(
    readonly given: number,
    readonly current: number,
  ) {
    super(`version ${given} is stale; the user is at version ${current}`);
  }
}

/** The e-mail address is taken already (compared in its canonical form, see `canonicalEmail`). */
export class EmailTaken extends Error {
  constructor(readonly email: string) {
    super(`email: "${email}" already has an account`);
  }
}

const VIEW = `u.id, u.email, u.role, u.hide_profit AS "hideProfit", u.client_sees AS "clientSees", u.time_zone AS "timeZone", u.name, u.disabled_at AS "disabledAt", u.version,
  u.created_at AS "createdAt", u.updated_at AS "updatedAt",
  COALESCE((SELECT array_agg(c.campaign_id::text ORDER BY c.campaign_id) FROM user_campaigns c WHERE c.user_id = u.id), '{}') AS "campaignIds"`;

const uniqueViolation = (error: unknown) => (error as { code?: unknown })?.code === '23505';

/** The change would leave no admin account. */
export class LastAdmin extends Error {
  constructor() {
    super('This is the last admin account; make another admin first.');
  }
}

/**
 * Serialises every change that can remove an admin: a transaction-scoped advisory lock, then a
 * count, so two concurrent demotions of the last two admins cannot both see "two admins left".
 */
const ADMIN_SET_LOCK = 0x61646d6e; // "admn"

/** Console accounts and the campaigns granted to each. */
export class UserRepository {
  constructor(private readonly db: SqlClient) {}

  async count(): Promise<number> {
    return (await this.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM users`)).rows[0].n;
  }

  async list(): Promise<User[]> {
    return (await this.db.query<User>(`SELECT ${VIEW} FROM users u ORDER BY u.email`)).rows;
  }

  async get(id: string, db: SqlExecutor = this.db): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    return (await db.query<User>(`SELECT ${VIEW} FROM users u WHERE u.id = $1`, [id])).rows[0];
  }

  /** The account and its password hash, for sign-in; the address is matched in its canonical form. */
  async findForSignIn(email: string): Promise<{ user: User; passwordHash: string } | undefined> {
    const { rows } = await this.db.query<User & { passwordHash: string }>(`SELECT ${VIEW}, u.password_hash AS "passwordHash" FROM users u WHERE u.email = $1`, [
      canonicalEmail(email),
    ]);
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
          `INSERT INTO users (email, password_hash, role, hide_profit, time_zone, name, client_sees) VALUES ($1, $2, $3, $4, $5, $6, $7::text[]) RETURNING id`,
          [
            canonicalEmail(input.email),
            input.passwordHash,
            input.role,
            input.hideProfit ?? false,
            input.timeZone ?? 'UTC',
            input.name ?? null,
            input.clientSees ?? [],
          ],
        );
        await this.grant(tx, rows[0].id, input.campaignIds ?? []);
        return (await this.get(rows[0].id, tx))!;
      });
    } catch (error) {
      if (uniqueViolation(error)) throw new EmailTaken(input.email);
      throw error;
    }
  }

  /** Changes the fields given; `campaignIds` replaces the whole grant list. @throws {EmailTaken} @throws {LastAdmin} when it demotes the last admin */
  async update(id: string, patch: UserPatch, keys: LostCreatorPolicy = { action: 'revoke' }, options: UserChangeOptions = {}): Promise<User | undefined> {
    if (!isUuid(id)) return undefined;
    try {
      return await this.db.transaction(async (tx) => {
        const { rows: locked } = await tx.query<{ version: number }>('SELECT version FROM users WHERE id = $1 FOR UPDATE', [id]);
        if (!locked[0]) return undefined;
        if (options.expectedVersion !== undefined && options.expectedVersion !== locked[0].version) {
          throw new StaleUserVersion(options.expectedVersion, locked[0].version);
        }
        const before = (await this.get(id, tx))!;
        if (patch.role !== undefined && patch.role !== 'admin') {
          await this.keepOneAdmin(tx, id);
          await endKeysOfLostCreator(tx, id, patch.role, keys);
        }
        if (patch.disabled === true && !before.disabledAt) {
          // A disabled admin is no admin: the last one cannot be disabled, and its keys end as a demoted admin's do.
          await this.keepOneAdmin(tx, id);
          await endKeysOfLostCreator(tx, id, null, keys);
          await tx.query('UPDATE sessions SET revoked_at = now() WHERE user_id = $1 AND revoked_at IS NULL', [id]);
        }
        const sets: string[] = [];
        const params: unknown[] = [id];
        const set = (column: string, value: unknown) => sets.push(`${column} = $${params.push(value)}`);
        if (patch.email !== undefined) set('email', canonicalEmail(patch.email));
        if (patch.passwordHash !== undefined) set('password_hash', patch.passwordHash);
        if (patch.role !== undefined) set('role', patch.role);
        if (patch.hideProfit !== undefined) set('hide_profit', patch.hideProfit);
        if (patch.clientSees !== undefined) sets.push(`client_sees = $${params.push(patch.clientSees)}::text[]`);
        if (patch.timeZone !== undefined) set('time_zone', patch.timeZone);
        if (patch.name !== undefined) set('name', patch.name);
        if (patch.disabled !== undefined) sets.push(patch.disabled ? 'disabled_at = COALESCE(disabled_at, now())' : 'disabled_at = NULL');
        const { rows } = await tx.query(
          `UPDATE users SET ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} WHERE id = $1 RETURNING id`,
          params,
        );
        if (!rows[0]) return undefined;
        if (patch.campaignIds !== undefined) {
          await tx.query(`DELETE FROM user_campaigns WHERE user_id = $1`, [id]);
          await this.grant(tx, id, patch.campaignIds);
        }
        const after = (await this.get(id, tx))!;
        await options.onChanged?.(tx, before, after);
        return after;
      });
    } catch (error) {
      if (uniqueViolation(error)) throw new EmailTaken(patch.email ?? '');
      throw error;
    }
  }

  /** Deletes the account, its sessions, and ends the API keys it made (`keys`). @throws {LastAdmin} when it is the last admin */
  async delete(id: string, keys: LostCreatorPolicy = { action: 'revoke' }, onDeleted?: (tx: SqlExecutor, before: User) => Promise<void>): Promise<boolean> {
    if (!isUuid(id)) return false;
    return this.db.transaction(async (tx) => {
      await this.keepOneAdmin(tx, id);
      const before = await this.get(id, tx);
      await endKeysOfLostCreator(tx, id, null, keys);
      const deleted = (await tx.query(`DELETE FROM users WHERE id = $1 RETURNING id`, [id])).rows.length > 0;
      if (deleted && before) await onDeleted?.(tx, before);
      return deleted;
    });
  }

  /** Inside the caller's transaction: refuses when `id` is an admin and no other admin would remain. Holds the admin-set lock until commit. */
  private async keepOneAdmin(tx: SqlExecutor, id: string): Promise<void> {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [ADMIN_SET_LOCK]);
    const { rows } = await tx.query<{ target: boolean; others: number }>(
      `SELECT EXISTS (SELECT 1 FROM users WHERE id = $1 AND role = 'admin') AS target,
              (SELECT count(*)::int FROM users WHERE role = 'admin' AND disabled_at IS NULL AND id <> $1) AS others`,
      [id],
    );
    if (rows[0].target && rows[0].others === 0) throw new LastAdmin();
  }

  /**
   * Re-folds every stored address with {@link canonicalEmail}, for rows the migration's SQL folding
   * could not match exactly (letters the database's locale does not know). Cheap: a handful of rows.
   * @throws when two accounts fold to one address, naming both, so the operator can resolve it.
   */
  async canonicaliseStored(): Promise<number> {
    const { rows } = await this.db.query<{ id: string; email: string }>(`SELECT id, email FROM users`);
    const changed = rows.filter((r) => canonicalEmail(r.email) !== r.email);
    if (!changed.length) return 0;
    const owner = new Map(rows.filter((r) => !changed.includes(r)).map((r) => [r.email, r.email]));
    for (const r of changed) {
      const clash = owner.get(canonicalEmail(r.email));
      if (clash !== undefined) {
        throw new Error(
          `Console accounts "${clash}" and "${r.email}" have the same e-mail address once case and Unicode forms are ignored; change or delete one, then start again.`,
        );
      }
      owner.set(canonicalEmail(r.email), r.email);
    }
    await this.db.transaction(async (tx) => {
      for (const r of changed) await tx.query(`UPDATE users SET email = $2 WHERE id = $1`, [r.id, canonicalEmail(r.email)]);
    });
    return changed.length;
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
