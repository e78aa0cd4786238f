import {
  DEFAULT_SOURCE_HEALTH_THRESHOLDS,
  parseAmount,
  SOURCE_HEALTH_WINDOW_MINUTES,
  sourceFailingReason,
  type ConversionStatus,
  type ForwardingFilter,
  type ForwardingFormat,
  type PayoutShare,
  type SourceHealthThresholds,
  type TrackingToken,
} from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import type { TrafficSource, TrafficSourceSettings } from './catalog.types';
import { isUuid } from './ids';

/**
 * The `traffic_sources` columns {@link forwardingSettingsFromRow} reads, with the table aliased `ts`: every query
 * that needs a source's forwarding settings (this repository, the postback recorder) selects these.
 */
export const FORWARDING_COLUMNS = `ts.postback_url, ts.method, ts.body_format, ts.forward_pixel, ts.enabled, ts.goals, ts.statuses,
  ts.payout_share_type, ts.payout_share_value, ts.payout_share_currency, ts.headers, ts.status_map`;

const TRAFFIC_SOURCE = `ts.id, ts.name, ${FORWARDING_COLUMNS}, ts.timeout_ms, ts.retry_schedule_ms, ts.preset, ts.tokens, ts.failing_since, ts.consecutive_failures,
  (SELECT json_build_object('attempts', COALESCE(sum(m.attempts), 0), 'failures', COALESCE(sum(m.failures), 0)) FROM traffic_source_attempt_minutes m
    WHERE m.traffic_source_id = ts.id AND m.minute > now() - interval '${SOURCE_HEALTH_WINDOW_MINUTES} minutes') AS recent,
  (SELECT count(*)::int FROM traffic_source_secrets s WHERE s.traffic_source_id = ts.id AND s.revoked_at IS NULL) AS signing_secrets,
  (SELECT count(*)::int FROM deliveries d WHERE d.traffic_source_id = ts.id AND d.status = 'dead' AND NOT d.is_test) AS dead_deliveries,
  ts.paused_at, ts.archived_at, ts.version, ts.tags, ts.created_at, ts.updated_at`;

/** Column of each settable field; the admin API's names on the left. */
const COLUMNS: Record<keyof TrafficSourceSettings | 'name' | 'tags', string> = {
  name: 'name',
  tags: 'tags',
  postbackUrl: 'postback_url',
  method: 'method',
  bodyFormat: 'body_format',
  forwardPixel: 'forward_pixel',
  enabled: 'enabled',
  goals: 'goals',
  statuses: 'statuses',
  headers: 'headers',
  timeoutMs: 'timeout_ms',
  retryScheduleMs: 'retry_schedule_ms',
  payoutShare: 'payout_share_type',
  statusMap: 'status_map',
  preset: 'preset',
  tokens: 'tokens',
};

export type TrafficSourceInput = { name: string; postbackUrl: string; tags?: string[] } & Partial<Omit<TrafficSourceSettings, 'postbackUrl'>>;
export type TrafficSourcePatch = Partial<TrafficSourceSettings & { name: string; tags: string[] }>;

export interface SigningSecretRecord {
  id: string;
  createdAt: Date;
  revokedAt: Date | null;
}

/** Reads the forwarding settings from a row holding {@link FORWARDING_COLUMNS} (as the recorder loads them too). */
export function forwardingSettingsFromRow(r: Record<string, unknown>): ForwardingFilter & ForwardingFormat {
  return {
    postbackUrl: r.postback_url as string,
    method: r.method as 'GET' | 'POST',
    bodyFormat: r.body_format as 'json' | 'form',
    forwardPixel: r.forward_pixel as boolean,
    enabled: r.enabled as boolean,
    goals: (r.goals as string[] | null) ?? null,
    statuses: (r.statuses as ConversionStatus[] | null) ?? null,
    headers: (r.headers as Record<string, string> | null) ?? {},
    payoutShare: payoutShareFromRow(r),
    statusMap: (r.status_map as ForwardingFormat['statusMap']) ?? null,
  };
}

function payoutShareFromRow(r: Record<string, unknown>): PayoutShare | null {
  const type = r.payout_share_type as 'percent' | 'fixed' | null;
  if (!type) return null;
  const parsed = parseAmount(String(r.payout_share_value));
  const value = parsed.ok ? parsed.value : String(r.payout_share_value);
  if (type === 'percent') return { type, value };
  const currency = r.payout_share_currency as string | null;
  return { type, value, currency: currency ? currency.trim() : null };
}

function fromRow(r: Record<string, unknown>, thresholds: SourceHealthThresholds): TrafficSource {
  const recent = r.recent as { attempts: number | string; failures: number | string };
  const health = { consecutiveFailures: r.consecutive_failures as number, recentAttempts: Number(recent.attempts), recentFailures: Number(recent.failures) };
  const failingReason = sourceFailingReason(health, thresholds);
  return {
    id: r.id as string,
    name: r.name as string,
    ...forwardingSettingsFromRow(r),
    preset: (r.preset as string | null) ?? null,
    tokens: (r.tokens as TrackingToken[] | null) ?? [],
    timeoutMs: (r.timeout_ms as number | null) ?? null,
    retryScheduleMs: (r.retry_schedule_ms as number[] | null) ?? null,
    signingSecrets: r.signing_secrets as number,
    failingSince: (r.failing_since as Date | null) ?? null,
    failing: failingReason !== null,
    failingReason,
    health,
    deadDeliveries: r.dead_deliveries as number,
    pausedAt: (r.paused_at as Date | null) ?? null,
    archivedAt: (r.archived_at as Date | null) ?? null,
    version: r.version as number,
    tags: (r.tags as string[] | null) ?? [],
    createdAt: r.created_at as Date,
    updatedAt: r.updated_at as Date,
  };
}

/** Values for the columns of the given fields, in the drivers' parameter shapes (jsonb as JSON text). */
function columnValues(input: TrafficSourcePatch): Array<[string, unknown]> {
  const out: Array<[string, unknown]> = [];
  for (const [field, value] of Object.entries(input) as Array<[keyof typeof COLUMNS, unknown]>) {
    if (value === undefined || !(field in COLUMNS)) continue;
    if (field === 'payoutShare') {
      const share = value as PayoutShare | null;
      out.push(
        ['payout_share_type', share?.type ?? null],
        ['payout_share_value', share?.value ?? null],
        ['payout_share_currency', share?.type === 'fixed' ? share.currency : null],
      );
    } else if (field === 'headers' || field === 'statusMap' || field === 'tokens') {
      out.push([COLUMNS[field], value === null ? null : JSON.stringify(value)]);
    } else {
      out.push([COLUMNS[field], value]);
    }
  }
  return out;
}

/** Traffic sources: who bought the click, where and how their postbacks go, and the secrets they are signed with. */
export class TrafficSourceRepository {
  /** `thresholds`: when a source counts as failing (SOURCE_FAILING_* settings). */
  constructor(
    private readonly db: SqlExecutor,
    private readonly thresholds: SourceHealthThresholds = DEFAULT_SOURCE_HEALTH_THRESHOLDS,
  ) {}

  async create(input: TrafficSourceInput): Promise<TrafficSource> {
    const columns = columnValues({ method: 'GET', forwardPixel: false, ...input });
    const { rows } = await this.db.query<{ id: string }>(
      `INSERT INTO traffic_sources (${columns.map(([c]) => c).join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')}) RETURNING id`,
      columns.map(([, v]) => v),
    );
    return (await this.get(rows[0].id))!;
  }

  /** Changes the given fields (`null` clears a nullable one); undefined when there is no such source. */
  async update(id: string, patch: TrafficSourcePatch): Promise<TrafficSource | undefined> {
    if (!isUuid(id)) return undefined;
    const columns = columnValues(patch);
    const sets = [...columns.map(([c], i) => `${c} = $${i + 2}`), 'updated_at = now()'];
    const { rowCount } = await this.db.query(`UPDATE traffic_sources SET ${sets.join(', ')} WHERE id = $1`, [id, ...columns.map(([, v]) => v)]);
    return rowCount ? this.get(id) : undefined;
  }

  async list(): Promise<TrafficSource[]> {
    return (await this.db.query<Record<string, unknown>>(`SELECT ${TRAFFIC_SOURCE} FROM traffic_sources ts ORDER BY ts.created_at, ts.id`)).rows.map((r) =>
      fromRow(r, this.thresholds),
    );
  }

  async get(id: string): Promise<TrafficSource | undefined> {
    if (!isUuid(id)) return undefined;
    const row = (await this.db.query<Record<string, unknown>>(`SELECT ${TRAFFIC_SOURCE} FROM traffic_sources ts WHERE ts.id = $1`, [id])).rows[0];
    return row ? fromRow(row, this.thresholds) : undefined;
  }

  /** Stores a signing secret already sealed by the caller (this layer never sees it in clear). */
  async addSigningSecret(trafficSourceId: string, sealed: string): Promise<SigningSecretRecord> {
    const { rows } = await this.db.query<SigningSecretRecord>(
      `INSERT INTO traffic_source_secrets (traffic_source_id, sealed) VALUES ($1, $2) RETURNING id, created_at AS "createdAt", revoked_at AS "revokedAt"`,
      [trafficSourceId, sealed],
    );
    return rows[0];
  }

  async listSigningSecrets(trafficSourceId: string): Promise<SigningSecretRecord[]> {
    if (!isUuid(trafficSourceId)) return [];
    const { rows } = await this.db.query<SigningSecretRecord>(
      `SELECT id, created_at AS "createdAt", revoked_at AS "revokedAt" FROM traffic_source_secrets WHERE traffic_source_id = $1 ORDER BY created_at, id`,
      [trafficSourceId],
    );
    return rows;
  }

  /** The source's active signing secrets, still sealed, oldest first (as the worker signs with them). */
  async activeSealedSecrets(trafficSourceId: string): Promise<string[]> {
    if (!isUuid(trafficSourceId)) return [];
    const { rows } = await this.db.query<{ sealed: string }>(
      `SELECT sealed FROM traffic_source_secrets WHERE traffic_source_id = $1 AND revoked_at IS NULL ORDER BY created_at, id`,
      [trafficSourceId],
    );
    return rows.map((r) => r.sealed);
  }

  /** Revokes one active secret; undefined when the source has no such active secret. */
  async revokeSigningSecret(trafficSourceId: string, secretId: string): Promise<SigningSecretRecord | undefined> {
    if (!isUuid(trafficSourceId) || !isUuid(secretId)) return undefined;
    const { rows } = await this.db.query<SigningSecretRecord>(
      `UPDATE traffic_source_secrets SET revoked_at = now() WHERE id = $1 AND traffic_source_id = $2 AND revoked_at IS NULL
       RETURNING id, created_at AS "createdAt", revoked_at AS "revokedAt"`,
      [secretId, trafficSourceId],
    );
    return rows[0];
  }
}
