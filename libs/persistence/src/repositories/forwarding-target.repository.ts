import type { AdClickIds, ConversionStatus } from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { clickByIdSql } from './click.repository';
import { isUuid } from './ids';
import type { PersonalDigests } from './postback-batch/inbound-conversion';

/** The id of the built-in target: the traffic source's postback URL template, rendered by the recorder. */
export const POSTBACK_URL_TARGET_ID = 'postback-url';

/** One rule of a source's event mapping, as stored (the SDK's `EventMappingRule`). */
export interface StoredMappingRule {
  status?: ConversionStatus;
  goal?: string;
  event: string | null;
}

/** A traffic source's target: its id, its settings (secret fields still sealed) and its event mapping. */
export interface SourceTarget {
  targetId: string;
  config: Record<string, unknown>;
  mapping: StoredMappingRule[];
}

/** Everything a target needs to build one conversion's request, read from storage. */
export interface StoredTargetConversion {
  conversion: {
    id: string;
    status: ConversionStatus;
    previousStatus: ConversionStatus | null;
    goal: string;
    txid: string | null;
    payout: string | null;
    revenue: string | null;
    currency: string;
    /** When this event was recorded (the delivery's creation; the conversion's for a preview). */
    occurredAt: Date;
    isTest: boolean;
  };
  click: { id: string; at: Date; ip: string | null; userAgent: string | null; country: string | null; adIds: AdClickIds };
  personal: PersonalDigests;
  /** `created` for a conversion's first delivery, else the change (status, payout…) that made it. */
  event: string;
  source: SourceTarget & { id: string };
}

const SELECT = (conversionTime: string) => `
  cv.id AS conversion_id, cv.status, cv.goal, cv.txid, cv.payout::text AS payout, cv.revenue::text AS revenue, cv.currency, cv.is_test,
  ${conversionTime} AS occurred_at,
  c.id AS click_id, c.created_at AS click_at, c.ip, c.user_agent, c.country, c.ad_ids,
  ts.id AS ts_id, ts.target_id, ts.target_config, ts.target_mapping,
  (SELECT h.from_status FROM conversion_status_history h WHERE h.conversion_id = cv.id AND h.to_status = cv.status ORDER BY h.id DESC LIMIT 1) AS previous_status`;

function fromRow(r: Record<string, unknown>, personal: PersonalDigests, event: string): StoredTargetConversion {
  return {
    conversion: {
      id: r.conversion_id as string,
      status: r.status as ConversionStatus,
      previousStatus: (r.previous_status as ConversionStatus | null) ?? null,
      goal: r.goal as string,
      txid: (r.txid as string | null) ?? null,
      payout: (r.payout as string | null) ?? null,
      revenue: (r.revenue as string | null) ?? null,
      currency: (r.currency as string).trim(),
      occurredAt: r.occurred_at as Date,
      isTest: r.is_test as boolean,
    },
    click: {
      id: r.click_id as string,
      at: r.click_at as Date,
      ip: (r.ip as string | null) ?? null,
      userAgent: (r.user_agent as string | null) ?? null,
      country: (r.country as string | null) || null,
      adIds: (r.ad_ids as AdClickIds | null) ?? {},
    },
    personal,
    event,
    source: {
      id: r.ts_id as string,
      targetId: r.target_id as string,
      config: (r.target_config as Record<string, unknown> | null) ?? {},
      mapping: (r.target_mapping as StoredMappingRule[] | null) ?? [],
    },
  };
}

/** Forwarding targets: which one a traffic source uses, and what building a delivery's request reads and leaves. */
export class ForwardingTargetRepository {
  constructor(private readonly db: SqlExecutor) {}

  async sourceTarget(sourceId: string): Promise<SourceTarget | undefined> {
    if (!isUuid(sourceId)) return undefined;
    const { rows } = await this.db.query<Record<string, unknown>>(`SELECT target_id, target_config, target_mapping FROM traffic_sources WHERE id = $1`, [
      sourceId,
    ]);
    const r = rows[0];
    return r
      ? {
          targetId: r.target_id as string,
          config: (r.target_config as Record<string, unknown>) ?? {},
          mapping: (r.target_mapping as StoredMappingRule[]) ?? [],
        }
      : undefined;
  }

  /**
   * Chooses the source's target (config with its secret fields already sealed by the caller); false when there is no
   * such source. The source's version is the caller's to bump, with the edit's version check (docs/lifecycle.md).
   */
  async setSourceTarget(sourceId: string, target: SourceTarget): Promise<boolean> {
    if (!isUuid(sourceId)) return false;
    const { rowCount } = await this.db.query(
      `UPDATE traffic_sources SET target_id = $2, target_config = $3::jsonb, target_mapping = $4::jsonb, updated_at = now() WHERE id = $1`,
      [sourceId, target.targetId, JSON.stringify(target.config), JSON.stringify(target.mapping)],
    );
    return rowCount > 0;
  }

  /** What building the request of one delivery reads: its conversion, click, stored personal digests and its source's target. */
  async forDelivery(deliveryId: string): Promise<StoredTargetConversion | undefined> {
    if (!isUuid(deliveryId)) return undefined;
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT ${SELECT('d.created_at')}, d.personal_hashes, d.event
       FROM deliveries d JOIN conversions cv ON cv.id = d.conversion_id JOIN traffic_sources ts ON ts.id = d.traffic_source_id
       JOIN LATERAL ${clickByIdSql('cv.click_id')} c ON true
       WHERE d.id = $1`,
      [deliveryId],
    );
    const r = rows[0];
    return r ? fromRow(r, (r.personal_hashes as PersonalDigests | null) ?? {}, r.event as string) : undefined;
  }

  /**
   * One stored conversion as a source's target would see it now (the console's preview): the personal digests of
   * its latest delivery to that source, if any was made.
   */
  async forConversion(conversionId: string, sourceId: string): Promise<StoredTargetConversion | undefined> {
    if (!isUuid(conversionId) || !isUuid(sourceId)) return undefined;
    const { rows } = await this.db.query<Record<string, unknown>>(
      `SELECT ${SELECT('cv.created_at')},
              (SELECT d.personal_hashes FROM deliveries d WHERE d.conversion_id = cv.id AND d.personal_hashes IS NOT NULL ORDER BY d.created_at DESC LIMIT 1) AS personal_hashes
       FROM conversions cv JOIN traffic_sources ts ON ts.id = $2
       JOIN LATERAL ${clickByIdSql('cv.click_id')} c ON true
       WHERE cv.id = $1`,
      [conversionId, sourceId],
    );
    const r = rows[0];
    return r ? fromRow(r, (r.personal_hashes as PersonalDigests | null) ?? {}, 'created') : undefined;
  }
}
