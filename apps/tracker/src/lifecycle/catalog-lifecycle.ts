import { Inject, Injectable, Logger } from '@nestjs/common';
import { lifecycleStatus, type AuditActor, type AuditEntry, type LifecycleEntity } from '@postwire/core';
import {
  AuditLogRepository,
  CATALOG_TABLES,
  DeliveryRepository,
  LifecycleRepository,
  type CatalogKind,
  type LifecycleChange,
  type Referrer,
  type SqlClient,
  type SqlExecutor,
} from '@postwire/persistence';
import { DeliveryQueue, SQL_CLIENT } from '@postwire/runtime';
import type { AccessScope } from '../access/access-scope';
import { CampaignRoutes } from '../clicks';
import { ApiError } from '../http/api-error';

/** What every lifecycle action answers per item (lifecycleStateView). */
export interface LifecycleState {
  id: string;
  name: string;
  version: number;
  status: 'active' | 'paused' | 'archived';
  tags: string[];
  pausedAt: Date | null;
  archivedAt: Date | null;
}

export type LifecycleAction = 'pause' | 'resume' | 'archive' | 'restore' | 'tag' | 'untag';

const CHANGES: Record<LifecycleAction, (tags: readonly string[]) => LifecycleChange> = {
  pause: () => ({ paused: true }),
  resume: () => ({ paused: false }),
  archive: () => ({ archived: true }),
  restore: () => ({ archived: false }),
  tag: (tags) => ({ addTags: tags }),
  untag: (tags) => ({ removeTags: tags }),
};

/** Singular noun of each kind, for messages. */
export const KIND_NAMES: Record<CatalogKind, string> = { network: 'network', offer: 'offer', trafficSource: 'traffic source', campaign: 'campaign' };

/**
 * The lifecycle of catalog items and the audit log of every change to them. Each action runs in one
 * transaction with its audit record: either both are stored or neither (nothing half-written). Edits
 * lock the item and compare versions, so of two concurrent edits from one version the second is a 409.
 */
@Injectable()
export class CatalogLifecycle {
  private readonly logger = new Logger('Lifecycle');

  constructor(
    @Inject(SQL_CLIENT) private readonly db: SqlClient,
    private readonly audit: AuditLogRepository,
    private readonly deliveries: DeliveryRepository,
    private readonly queue: DeliveryQueue,
    private readonly routes: CampaignRoutes,
  ) {}

  /**
   * An edit: locks the item, checks `expectedVersion` (a console session must give one), runs `apply` on the
   * transaction, bumps the version and records `show` before and after. `apply` may throw an ApiError (a bad
   * field): the transaction rolls back and nothing is changed.
   */
  async edit<T>(
    scope: AccessScope,
    kind: CatalogKind,
    id: string,
    expectedVersion: number | undefined,
    steps: { show: (tx: SqlExecutor) => Promise<unknown>; apply: (tx: SqlExecutor) => Promise<T> },
  ): Promise<T> {
    if (expectedVersion === undefined && scope.via === 'session') {
      throw ApiError.badParameter('version', 'is required: send the version the item was read with, so a colleague’s change is not overwritten');
    }
    return this.db.transaction(async (tx) => {
      const lifecycle = new LifecycleRepository(tx);
      const current = await lifecycle.lockVersion(kind, id);
      if (current === undefined) throw ApiError.notFound(KIND_NAMES[kind]);
      if (expectedVersion !== undefined && expectedVersion !== current) throw staleVersion(kind, expectedVersion, current);
      const before = await steps.show(tx);
      const result = await steps.apply(tx);
      await lifecycle.bumpVersion(kind, id);
      const after = await steps.show(tx);
      await this.audit.record([{ actor: scope.actor, entityType: kind, entityId: id, action: 'edit', before, after }], tx);
      return result;
    });
  }

  /** Records changes made outside {@link edit} (creations, users, API keys), in `tx` when given. */
  async record(actor: AuditActor, entries: ReadonlyArray<Omit<AuditEntry, 'actor'>>, tx?: SqlExecutor): Promise<void> {
    await this.audit.record(
      entries.map((e) => ({ ...e, actor })),
      tx,
    );
  }

  /** Records a creation: no before, the new item as the API shows it after. */
  async created(scope: AccessScope, entityType: LifecycleEntity, entityId: string, after: unknown): Promise<void> {
    await this.record(scope.actor, [{ entityType, entityId, action: 'create', before: null, after }]);
  }

  /**
   * Pause, resume, archive, restore, tag or untag items, all or nothing: an id that names no item is a 400
   * naming it (`ids.2`) and nothing changes. One audit record per item. A resumed network or traffic source
   * puts its waiting deliveries back in line at once.
   */
  async act(scope: AccessScope, kind: CatalogKind, ids: readonly string[], action: LifecycleAction, tags: readonly string[] = []): Promise<LifecycleState[]> {
    const unique = [...new Set(ids.map((i) => i.toLowerCase()))];
    const states = await this.db.transaction(async (tx) => {
      const lifecycle = new LifecycleRepository(tx);
      const missing = await lifecycle.missing(kind, unique);
      if (missing.length) {
        const index = ids.findIndex((i) => i.toLowerCase() === missing[0]);
        throw ApiError.badParameter(ids.length > 1 ? `ids.${index}` : 'id', `no ${KIND_NAMES[kind]} with id ${missing[0]}`);
      }
      const before = await this.states(kind, unique, tx);
      await lifecycle.apply(kind, unique, CHANGES[action](tags));
      const after = await this.states(kind, unique, tx);
      const byId = new Map(before.map((s) => [s.id, s]));
      await this.audit.record(
        after.map((s) => ({ actor: scope.actor, entityType: kind, entityId: s.id, action, before: byId.get(s.id) ?? null, after: s })),
        tx,
      );
      return after;
    });
    // This process's clicks see a paused or archived campaign (or a paused offer) at once; other trackers within the
    // route cache's TTL. The cache is keyed by campaign: an offer's change drops every route, as an offer URL edit does.
    if (kind === 'campaign') for (const id of unique) this.routes.invalidate(id);
    if (kind === 'offer' && (action === 'pause' || action === 'resume')) this.routes.invalidate();
    if (action === 'resume' && (kind === 'network' || kind === 'trafficSource')) await this.releaseDeliveries(kind, unique);
    return states;
  }

  /** Deletes an item nothing refers to; otherwise a 409 naming what does (`3 campaigns: A, B, C`). */
  async delete(scope: AccessScope, kind: CatalogKind, id: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      const lifecycle = new LifecycleRepository(tx);
      if ((await lifecycle.lockVersion(kind, id)) === undefined) throw ApiError.notFound(KIND_NAMES[kind]);
      const referrers = await lifecycle.referrers(kind, id);
      if (referrers.length) {
        throw new ApiError(
          'in_use',
          `This ${KIND_NAMES[kind]} cannot be deleted: ${referrers.map(describeReferrer).join('; ')} refer to it. Archive it instead.`,
        );
      }
      const [before] = await this.states(kind, [id], tx);
      await lifecycle.delete(kind, id);
      await this.audit.record([{ actor: scope.actor, entityType: kind, entityId: before.id, action: 'delete', before, after: null }], tx);
    });
    if (kind === 'campaign') this.routes.invalidate(id.toLowerCase());
  }

  /** A copy named `<name> (copy)` with the same settings (and an offer's goals), active, with its own id. */
  async clone(scope: AccessScope, kind: CatalogKind, id: string): Promise<LifecycleState> {
    return this.db.transaction(async (tx) => {
      const cloneId = await new LifecycleRepository(tx).clone(kind, id);
      if (!cloneId) throw ApiError.notFound(KIND_NAMES[kind]);
      const [after] = await this.states(kind, [cloneId], tx);
      await this.audit.record(
        [{ actor: scope.actor, entityType: kind, entityId: cloneId, action: 'clone', before: { clonedFrom: id.toLowerCase() }, after }],
        tx,
      );
      return after;
    });
  }

  /** The lifecycle state of items, in the order of `ids`. */
  async states(kind: CatalogKind, ids: readonly string[], tx: SqlExecutor = this.db): Promise<LifecycleState[]> {
    const { table } = CATALOG_TABLES[kind];
    const { rows } = await tx.query<Omit<LifecycleState, 'status'>>(
      `SELECT id::text AS id, name, version, tags, paused_at AS "pausedAt", archived_at AS "archivedAt"
       FROM ${table} WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    const byId = new Map(rows.map((r) => [r.id, { ...r, status: lifecycleStatus(r) }]));
    return ids.flatMap((i) => byId.get(i.toLowerCase()) ?? []);
  }

  /** Queues the deliveries a resume released; any left out (Redis away) go with the sweeper's next pass. */
  private async releaseDeliveries(kind: 'network' | 'trafficSource', ids: readonly string[]): Promise<void> {
    try {
      for (const id of ids) {
        const released = await this.deliveries.releasedBy(kind === 'network' ? { networkId: id } : { trafficSourceId: id });
        await this.queue.enqueue(released);
      }
    } catch (error) {
      this.logger.warn(`queueing the deliveries released by a resume: ${(error as Error).message}; the sweeper will`);
    }
  }
}

/** `3 campaigns: A, B, C`, `1 offer: Summer`, `at least 1000 clicks` (a count stops at 1000). */
function describeReferrer(r: Referrer): string {
  const count = r.count >= 1000 ? 'at least 1000' : String(r.count);
  const noun = r.count === 1 ? r.what.replace(/(ie)?s$/, (_, ie: string | undefined) => (ie ? 'y' : '')) : r.what;
  const names = r.names.length ? `: ${r.names.join(', ')}${r.count > r.names.length ? ', …' : ''}` : '';
  return `${count} ${noun}${names}`;
}

export function staleVersion(kind: CatalogKind | LifecycleEntity, given: number, current: number): ApiError {
  const name = kind in KIND_NAMES ? KIND_NAMES[kind as CatalogKind] : kind === 'user' ? 'user' : 'API key';
  return new ApiError(
    'version_conflict',
    `version: this ${name} was changed meanwhile (you edited version ${given}, it is now at version ${current}); reload it and apply your change again.`,
    'version',
  );
}
