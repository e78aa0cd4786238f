import type { SqlExecutor } from '../client/sql-client';

/** When each network last sent a postback, and how often it usually does. */
export interface NetworkActivity {
  networkId: string;
  lastReceivedAt: Date | null;
  /** Postbacks in the baseline window (the 7 days before the last postback). */
  baselineCount: number;
}

/** Postbacks an operator has to look at (unattributed or rejected), recent against the usual rate. */
export interface TroublePostbacks {
  outcome: 'unattributed' | 'rejected';
  lastDay: number;
  /** Daily average over the 7 days before the last day. */
  previousDailyAverage: number;
}

/** The aggregates the dashboard alerts are computed from; the rules themselves live in the alert service. */
export class AlertRepository {
  constructor(private readonly db: SqlExecutor) {}

  async networkActivity(now: Date): Promise<NetworkActivity[]> {
    const { rows } = await this.db.query<NetworkActivity>(
      `SELECT n.id AS "networkId", last.at AS "lastReceivedAt",
              (SELECT count(*)::int FROM postbacks p
                WHERE p.network_id = n.id AND p.received_at < last.at AND p.received_at >= last.at - interval '7 days') AS "baselineCount"
       FROM networks n
       LEFT JOIN LATERAL (SELECT max(received_at) AS at FROM postbacks WHERE network_id = n.id AND received_at <= $1) last ON true
       ORDER BY n.name`,
      [now],
    );
    return rows;
  }

  async troublePostbacks(now: Date): Promise<TroublePostbacks[]> {
    const { rows } = await this.db.query<{ outcome: 'unattributed' | 'rejected'; lastDay: number; previous: number }>(
      `SELECT o.outcome,
              count(p.id) FILTER (WHERE p.received_at >= $1::timestamptz - interval '1 day')::int AS "lastDay",
              count(p.id) FILTER (WHERE p.received_at < $1::timestamptz - interval '1 day')::int AS previous
       FROM (VALUES ('unattributed'), ('rejected')) AS o(outcome)
       LEFT JOIN postbacks p ON p.outcome = o.outcome AND p.received_at >= $1::timestamptz - interval '8 days' AND p.received_at <= $1
       GROUP BY o.outcome ORDER BY o.outcome`,
      [now],
    );
    return rows.map((r) => ({ outcome: r.outcome, lastDay: r.lastDay, previousDailyAverage: r.previous / 7 }));
  }
}
