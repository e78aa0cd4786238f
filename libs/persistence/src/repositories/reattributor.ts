import type { ConversionStatus, FraudScorer, StatusByCurrent } from '@postwire/core';
import type { SqlClient } from '../client/sql-client';
import { postbackExpiresSql } from '../partitions/postback-log-partitions';
import { clickByIdSql } from './click.repository';
import { PostbackRecorder, PostbackRefused, type RecordResult } from './postback-recorder';

interface WaitingPostback {
  id: string;
  clickId: string;
  channel: 's2s' | 'pixel';
  networkId: string | null;
  canonical: {
    goal?: string;
    txid?: string;
    status?: ConversionStatus;
    statusByCurrent?: StatusByCurrent;
    payout?: string;
    revenue?: string;
    currency?: string;
    country?: string;
  } | null;
  params: Record<string, unknown>;
  ip: string | null;
  receivedAt: Date;
  /** Guards of the click's network (see migration 003). */
  guards: { ipAllowlist?: string[]; requireApiKey?: boolean; requireSignature?: boolean } | null;
}

export interface ReattributionRun {
  attempted: number;
  results: RecordResult[];
}

/**
 * Postbacks can arrive before their click is written (clicks are written in batches, or by
 * another tracker). Those are logged `unattributed`; this gives each one another go once a
 * click with its id exists, judged as of the moment it was received, so the attribution window
 * is not stretched by the wait. No claim is taken first: recording is idempotent (a second run
 * is a `duplicate`), so two workers doing this at once is harmless and a crash loses nothing.
 */
export class Reattributor {
  private readonly recorder: PostbackRecorder;

  /** `fraud`: scores reattributed conversions as the tracker scores any other (docs/fraud.md); without it they are not scored. */
  constructor(
    private readonly db: SqlClient,
    options: { fraud?: FraudScorer } = {},
  ) {
    this.recorder = new PostbackRecorder(db, { fraud: options.fraud });
  }

  async run(limit = 500): Promise<ReattributionRun> {
    const { rows } = await this.db.query<WaitingPostback>(
      `SELECT p.id, p.click_id AS "clickId", p.channel, p.network_id AS "networkId", p.canonical, p.params, p.ip, p.received_at AS "receivedAt",
              (SELECT n.guards FROM campaigns cp JOIN offers o ON o.id = cp.offer_id JOIN networks n ON n.id = o.network_id WHERE cp.id = c.campaign_id) AS guards
       FROM postbacks p
       JOIN LATERAL ${clickByIdSql('p.click_id', 'campaign_id')} c ON true
       WHERE p.outcome = 'unattributed' AND p.attributed_at IS NULL
       ORDER BY p.received_at
       LIMIT $1`,
      [limit],
    );
    const results: RecordResult[] = [];
    for (const waiting of rows) {
      const c = waiting.canonical ?? {};
      let result: RecordResult | undefined;
      let reason: string | null = null;
      try {
        // A bare /postback whose click was not known yet passed no network guard (there was no network
        // to take them from). If the click's network has guards, it cannot be let in now unchecked.
        if (waiting.channel === 's2s' && waiting.networkId === null && hasActiveGuard(waiting.guards)) {
          throw new PostbackRefused(
            'guard',
            'unverified: the network requires guards that were not checked when this postback arrived; send it to /postback/<network>',
          );
        }
        result = await this.recorder.record({
          channel: waiting.channel,
          clickId: waiting.clickId,
          networkId: waiting.networkId ?? undefined,
          goal: c.goal,
          txid: c.txid,
          status: c.status,
          statusByCurrent: c.statusByCurrent,
          payout: c.payout,
          revenue: c.revenue,
          currency: c.currency,
          country: c.country,
          params: { ...waiting.params, _reattributed_from: waiting.id },
          ip: waiting.ip ?? undefined,
          receivedAt: new Date(waiting.receivedAt),
        });
        results.push(result);
      } catch (error) {
        if (!(error instanceof PostbackRefused)) throw error;
        reason = `reattribution refused: ${error.message}`;
      }
      // Tied to a conversion now, the row stops expiring: on the partitioned log the UPDATE moves it from
      // its day on the expiring side to the kept side. Its time names its partition (to the millisecond a
      // JavaScript Date keeps of it).
      await this.db.query(
        `UPDATE postbacks SET attributed_at = now(), conversion_id = $2, reason = COALESCE($3, reason), expires = ${postbackExpiresSql('outcome', '$2::uuid')}
         WHERE id = $1 AND received_at BETWEEN $4::timestamptz - interval '1 millisecond' AND $4::timestamptz + interval '1 millisecond'`,
        [
          waiting.id,
          result?.conversionId ?? null,
          reason ?? (result ? `reattributed: ${result.outcome}${result.reason ? ` (${result.reason})` : ''}` : null),
          waiting.receivedAt,
        ],
      );
    }
    return { attempted: rows.length, results };
  }
}

function hasActiveGuard(guards: WaitingPostback['guards']): boolean {
  return !!guards && ((guards.ipAllowlist?.length ?? 0) > 0 || guards.requireApiKey === true || guards.requireSignature === true);
}
