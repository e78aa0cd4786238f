import type { SqlExecutor } from '../client/sql-client';
import type { Network, NetworkGuards } from './catalog.types';
import { isUuid } from './ids';

const NETWORK = `id, name, slug, adapter, adapter_config AS "adapterConfig", default_currency AS "defaultCurrency",
  attribution_window_days AS "attributionWindowDays", guards,
  ARRAY(SELECT jsonb_object_keys(adapter_secrets) ORDER BY 1) AS "secretFields", paused_at AS "pausedAt", version, tags, archived_at AS "archivedAt",
  created_at AS "createdAt"`;

/** Settings an admin may change after creation; `adapterSecrets` replaces the whole sealed map. */
export interface NetworkUpdate {
  name?: string;
  slug?: string;
  adapterConfig?: Record<string, unknown>;
  adapterSecrets?: Record<string, string>;
  defaultCurrency?: string;
  attributionWindowDays?: number;
  guards?: NetworkGuards;
  tags?: string[];
}

/** Affiliate networks: who pays for conversions, and which adapter reads their postbacks. */
export class NetworkRepository {
  constructor(private readonly db: SqlExecutor) {}
  async create(input: {
    name: string;
    slug: string;
    adapter: string;
    adapterConfig: Record<string, unknown>;
    /** Already sealed; see `adapter_secrets` in migration 003. */
    adapterSecrets?: Record<string, string>;
    defaultCurrency?: string;
    attributionWindowDays?: number;
    guards?: NetworkGuards;
    tags?: string[];
  }): Promise<Network> {
    const { rows } = await this.db.query<Network>(
      `INSERT INTO networks (name, slug, adapter, adapter_config, default_currency, attribution_window_days, adapter_secrets, guards, tags)
       VALUES ($1, $2, $3, $4, COALESCE($5, 'USD'), COALESCE($6, 30), $7, $8, COALESCE($9::text[], '{}')) RETURNING ${NETWORK}`,
      [
        input.name,
        input.slug,
        input.adapter,
        JSON.stringify(input.adapterConfig),
        input.defaultCurrency ?? null,
        input.attributionWindowDays ?? null,
        JSON.stringify(input.adapterSecrets ?? {}),
        JSON.stringify(input.guards ?? {}),
        input.tags ?? null,
      ],
    );
    return rows[0];
  }
  /** Changes the given fields only; `undefined` leaves a column as it is. */
  async update(id: string, patch: NetworkUpdate): Promise<Network | undefined> {
    if (!isUuid(id)) return undefined;
    const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));
    const { rows } = await this.db.query<Network>(
      `UPDATE networks SET name = COALESCE($2, name), slug = COALESCE($3, slug), adapter_config = COALESCE($4::jsonb, adapter_config),
              adapter_secrets = COALESCE($5::jsonb, adapter_secrets), default_currency = COALESCE($6, default_currency),
              attribution_window_days = COALESCE($7, attribution_window_days), guards = COALESCE($8::jsonb, guards),
              tags = COALESCE($9::text[], tags)
       WHERE id = $1 RETURNING ${NETWORK}`,
      [
        id,
        patch.name ?? null,
        patch.slug ?? null,
        json(patch.adapterConfig),
        json(patch.adapterSecrets),
        patch.defaultCurrency ?? null,
        patch.attributionWindowDays ?? null,
        json(patch.guards),
        patch.tags ?? null,
      ],
    );
    return rows[0];
  }
  /** The sealed adapter secrets of a network; opened only by whoever runs the adapter. */
  async sealedSecrets(id: string): Promise<Record<string, string>> {
    if (!isUuid(id)) return {};
    const { rows } = await this.db.query<{ s: Record<string, string> }>('SELECT adapter_secrets AS s FROM networks WHERE id = $1', [id]);
    return rows[0]?.s ?? {};
  }
  async list(): Promise<Network[]> {
    return (await this.db.query<Network>(`SELECT ${NETWORK} FROM networks ORDER BY created_at, id`)).rows;
  }
  async get(id: string): Promise<Network | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<Network>(`SELECT ${NETWORK} FROM networks WHERE id = $1`, [id])).rows[0];
  }
  /** Finds a network by id or by slug (the `:network` part of `/postback/:network`). */
  async findByRef(ref: string): Promise<Network | undefined> {
    if (isUuid(ref)) return this.get(ref);
    return (await this.db.query<Network>(`SELECT ${NETWORK} FROM networks WHERE slug = $1`, [ref])).rows[0];
  }
  async slugExists(slug: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM networks WHERE slug = $1', [slug])).rows.length > 0;
  }
}
