import type { SqlExecutor } from '../client/sql-client';
import type { Network } from './catalog.types';
import { isUuid } from './ids';

const NETWORK = `id, name, slug, adapter, adapter_config AS "adapterConfig", default_currency AS "defaultCurrency",
  attribution_window_days AS "attributionWindowDays", created_at AS "createdAt"`;

/** Affiliate networks: who pays for conversions, and which adapter reads their postbacks. */
export class NetworkRepository {
  constructor(private readonly db: SqlExecutor) {}
  async create(input: { name: string; slug: string; adapter: string; adapterConfig: Record<string, unknown>; defaultCurrency?: string; attributionWindowDays?: number }): Promise<Network> {
    const { rows } = await this.db.query<Network>(
      `INSERT INTO networks (name, slug, adapter, adapter_config, default_currency, attribution_window_days)
       VALUES ($1, $2, $3, $4, COALESCE($5, 'USD'), COALESCE($6, 30)) RETURNING ${NETWORK}`,
      [input.name, input.slug, input.adapter, JSON.stringify(input.adapterConfig), input.defaultCurrency ?? null, input.attributionWindowDays ?? null],
    );
    return rows[0];
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
