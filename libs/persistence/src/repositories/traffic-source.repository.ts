import type { SqlExecutor } from '../client/sql-client';
import type { TrafficSource } from './catalog.types';
import { isUuid } from './ids';

const TRAFFIC_SOURCE = `id, name, postback_url AS "postbackUrl", method, forward_pixel AS "forwardPixel", enabled, created_at AS "createdAt"`;

/** Traffic sources: who bought the click, and where their postback goes. */
export class TrafficSourceRepository {
  constructor(private readonly db: SqlExecutor) {}
  async create(input: { name: string; postbackUrl: string; method: 'GET' | 'POST'; forwardPixel?: boolean }): Promise<TrafficSource> {
    const { rows } = await this.db.query<TrafficSource>(
      `INSERT INTO traffic_sources (name, postback_url, method, forward_pixel) VALUES ($1, $2, $3, $4) RETURNING ${TRAFFIC_SOURCE}`,
      [input.name, input.postbackUrl, input.method, input.forwardPixel ?? false],
    );
    return rows[0];
  }
  async list(): Promise<TrafficSource[]> {
    return (await this.db.query<TrafficSource>(`SELECT ${TRAFFIC_SOURCE} FROM traffic_sources ORDER BY created_at, id`)).rows;
  }
  async get(id: string): Promise<TrafficSource | undefined> {
    if (!isUuid(id)) return undefined;
    return (await this.db.query<TrafficSource>(`SELECT ${TRAFFIC_SOURCE} FROM traffic_sources WHERE id = $1`, [id])).rows[0];
  }
}
