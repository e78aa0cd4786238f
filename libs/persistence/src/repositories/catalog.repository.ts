import type { SqlExecutor } from '../client/sql-client';
import type { Campaign, Network, Offer, TrafficSource } from './catalog.types';

const NETWORK = `id, name, slug, adapter, adapter_config AS "adapterConfig", default_currency AS "defaultCurrency",
  attribution_window_days AS "attributionWindowDays", created_at AS "createdAt"`;
const OFFER = `id, name, network_id AS "networkId", url, payout, created_at AS "createdAt"`;
const TRAFFIC_SOURCE = `id, name, postback_url AS "postbackUrl", method, forward_pixel AS "forwardPixel", enabled, created_at AS "createdAt"`;
const CAMPAIGN = `id, name, traffic_source_id AS "trafficSourceId", offer_id AS "offerId", external_id_param AS "externalIdParam", created_at AS "createdAt"`;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** Ids are uuids; anything else cannot exist, and must not reach Postgres as a uuid cast error. */
export const isUuid = (value: string): boolean => UUID.test(value);

/** Networks, offers, traffic sources and campaigns: the things an admin sets up. */
export class CatalogRepository {
  constructor(private readonly db: SqlExecutor) {}

  async createNetwork(input: { name: string; slug: string; adapter: string; adapterConfig: Record<string, unknown>; defaultCurrency?: string; attributionWindowDays?: number }): Promise<Network> {
    const { rows } = await this.db.query<Network>(
      `INSERT INTO networks (name, slug, adapter, adapter_config, default_currency, attribution_window_days)
       VALUES ($1, $2, $3, $4, COALESCE($5, 'USD'), COALESCE($6, 30)) RETURNING ${NETWORK}`,
      [input.name, input.slug, input.adapter, JSON.stringify(input.adapterConfig), input.defaultCurrency ?? null, input.attributionWindowDays ?? null],
    );
    return rows[0];
  }

  async listNetworks(): Promise<Network[]> {
    return (await this.db.query<Network>(`SELECT ${NETWORK} FROM networks ORDER BY created_at, id`)).rows;
  }

  async getNetwork(id: string): Promise<Network | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<Network>(`SELECT ${NETWORK} FROM networks WHERE id = $1`, [id])).rows[0];
  }

  /** Finds a network by id or by slug (the `:network` part of `/postback/:network`). */
  async findNetworkByRef(ref: string): Promise<Network | undefined> {
    if (isUuid(ref)) return this.getNetwork(ref);
    return (await this.db.query<Network>(`SELECT ${NETWORK} FROM networks WHERE slug = $1`, [ref])).rows[0];
  }

  async slugExists(slug: string): Promise<boolean> {
    return (await this.db.query('SELECT 1 FROM networks WHERE slug = $1', [slug])).rows.length > 0;
  }

  async createOffer(input: { name: string; networkId: string; url: string; payout?: string | null }): Promise<Offer> {
    const { rows } = await this.db.query<Offer>(
      `INSERT INTO offers (name, network_id, url, payout) VALUES ($1, $2, $3, $4) RETURNING ${OFFER}`,
      [input.name, input.networkId, input.url, input.payout ?? null],
    );
    return rows[0];
  }

  async listOffers(): Promise<Offer[]> {
    return (await this.db.query<Offer>(`SELECT ${OFFER} FROM offers ORDER BY created_at, id`)).rows;
  }

  async getOffer(id: string): Promise<Offer | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<Offer>(`SELECT ${OFFER} FROM offers WHERE id = $1`, [id])).rows[0];
  }

  async createTrafficSource(input: { name: string; postbackUrl: string; method: 'GET' | 'POST'; forwardPixel?: boolean }): Promise<TrafficSource> {
    const { rows } = await this.db.query<TrafficSource>(
      `INSERT INTO traffic_sources (name, postback_url, method, forward_pixel) VALUES ($1, $2, $3, $4) RETURNING ${TRAFFIC_SOURCE}`,
      [input.name, input.postbackUrl, input.method, input.forwardPixel ?? false],
    );
    return rows[0];
  }

  async listTrafficSources(): Promise<TrafficSource[]> {
    return (await this.db.query<TrafficSource>(`SELECT ${TRAFFIC_SOURCE} FROM traffic_sources ORDER BY created_at, id`)).rows;
  }

  async getTrafficSource(id: string): Promise<TrafficSource | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<TrafficSource>(`SELECT ${TRAFFIC_SOURCE} FROM traffic_sources WHERE id = $1`, [id])).rows[0];
  }

  async createCampaign(input: { name: string; trafficSourceId: string; offerId: string; externalIdParam?: string }): Promise<Campaign> {
    const { rows } = await this.db.query<Campaign>(
      `INSERT INTO campaigns (name, traffic_source_id, offer_id, external_id_param) VALUES ($1, $2, $3, COALESCE($4, 'external_id')) RETURNING ${CAMPAIGN}`,
      [input.name, input.trafficSourceId, input.offerId, input.externalIdParam ?? null],
    );
    return rows[0];
  }

  async listCampaigns(): Promise<Campaign[]> {
    return (await this.db.query<Campaign>(`SELECT ${CAMPAIGN} FROM campaigns ORDER BY created_at, id`)).rows;
  }

  async getCampaign(id: string): Promise<Campaign | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<Campaign>(`SELECT ${CAMPAIGN} FROM campaigns WHERE id = $1`, [id])).rows[0];
  }

  /** What a click needs to redirect: the offer URL and the parameter that carries the source's click id. */
  async getCampaignRoute(id: string): Promise<{ campaignId: string; offerUrl: string; externalIdParam: string } | undefined> {
    if (!isUuid(id)) return undefined;
    const { rows } = await this.db.query<{ campaignId: string; offerUrl: string; externalIdParam: string }>(
      `SELECT c.id AS "campaignId", o.url AS "offerUrl", c.external_id_param AS "externalIdParam"
       FROM campaigns c JOIN offers o ON o.id = c.offer_id WHERE c.id = $1`,
      [id],
    );
    return rows[0];
  }
}
