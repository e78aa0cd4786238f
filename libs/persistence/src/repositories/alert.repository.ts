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

/** What the postback log took on one UTC day (`postback_log_days`, written with the log rows). */
export interface PostbackLogDay {
  /** `YYYY-MM-DD`, UTC. */
  day: string;
  bytes: number;
  stored: number;
  /** Rows left out because the day's cap was reached. */
  dropped: number;
}

/** Deliveries a target platform refused the credentials of (a revoked token), per traffic source, in the last 24 hours. */
export interface RefusedTargetCredentials {
  trafficSourceId: string;
  targetId: string;
  count: number;
  lastAt: Date;
}

/** Requests refused in the last hour on one network (its guards, parameter checks or rate limit), by reason. */
export interface RefusedPostbacks {
  networkId: string;
  count: number;
  lastAt: Date;
  byReason: Record<string, number>;
}

/** A campaign's clicks and conversions in the last 24 hours and in the 7 days before (report totals, hourly grain). */
export interface CampaignConversionRate {
  campaignId: string;
  campaignName: string;
  clicksToday: number;
  conversionsToday: number;
  clicksBefore: number;
  conversionsBefore: number;
}

/** The aggregates the dashboard alerts are computed from; the rules themselves live in the alert service. */
export class AlertRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * Test postbacks (the console's tool) count in no alert: a test must not make a silent network look alive.
   * Nor do refused requests: anyone can send them to a network's URL.
   */
  async networkActivity(now: Date): Promise<NetworkActivity[]> {
    const { rows } = await this.db.query<NetworkActivity>(
      `SELECT n.id AS "networkId", last.at AS "lastReceivedAt",
              (SELECT count(*)::int FROM postbacks p
                WHERE p.network_id = n.id AND NOT p.is_test AND p.outcome <> 'refused' AND p.received_at < last.at AND p.received_at >= last.at - interval '7 days') AS "baselineCount"
       FROM networks n
       LEFT JOIN LATERAL (SELECT max(received_at) AS at FROM postbacks WHERE network_id = n.id AND NOT is_test AND outcome <> 'refused' AND received_at <= $1) last ON true
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
       LEFT JOIN postbacks p ON p.outcome = o.outcome AND NOT p.is_test AND p.received_at >= $1::timestamptz - interval '8 days' AND p.received_at <= $1
       GROUP BY o.outcome ORDER BY o.outcome`,
      [now],
    );
    return rows.map((r) => ({ outcome: r.outcome, lastDay: r.lastDay, previousDailyAverage: r.previous / 7 }));
  }

  /** What the postback log took on the UTC day of `now`; zeros when nothing was logged. */
  async postbackLogDay(now: Date): Promise<PostbackLogDay> {
    const day = now.toISOString().slice(0, 10);
    const { rows } = await this.db.query<{ bytes: string; stored: string; dropped: string }>(
      'SELECT bytes::text, stored::text, dropped::text FROM postback_log_days WHERE day = $1::date',
      [day],
    );
    const row = rows[0];
    return { day, bytes: Number(row?.bytes ?? 0), stored: Number(row?.stored ?? 0), dropped: Number(row?.dropped ?? 0) };
  }

  /** Refused requests of the hour before `now`, per network named by their path (a refusal no network is known for is a stranger's, not an alert). */
  async refusedPostbacks(now: Date): Promise<RefusedPostbacks[]> {
    const { rows } = await this.db.query<{ networkId: string; reasonCode: string; count: number; lastAt: Date }>(
      `SELECT network_id AS "networkId", reason_code AS "reasonCode", count(*)::int AS count, max(received_at) AS "lastAt"
       FROM postbacks
       WHERE outcome = 'refused' AND network_id IS NOT NULL AND received_at > $1::timestamptz - interval '1 hour' AND received_at <= $1
       GROUP BY network_id, reason_code ORDER BY network_id, reason_code`,
      [now],
    );
    const byNetwork = new Map<string, RefusedPostbacks>();
    for (const r of rows) {
      const entry = byNetwork.get(r.networkId) ?? { networkId: r.networkId, count: 0, lastAt: r.lastAt, byReason: {} };
      entry.count += r.count;
      entry.byReason[r.reasonCode] = r.count;
      if (new Date(r.lastAt) > new Date(entry.lastAt)) entry.lastAt = r.lastAt;
      byNetwork.set(r.networkId, entry);
    }
    return [...byNetwork.values()];
  }

  /**
   * Clicks and conversions (approved or pending, at their own time) per live campaign, from the hourly report
   * totals: at most 192 rows per campaign are read, whatever the traffic.
   */
  async campaignConversionRates(now: Date): Promise<CampaignConversionRate[]> {
    const { rows } = await this.db.query<CampaignConversionRate>(
      `WITH clicks AS (
         SELECT campaign_id, sum(clicks) FILTER (WHERE bucket > $1::timestamptz - interval '24 hours')::int AS today,
                sum(clicks) FILTER (WHERE bucket <= $1::timestamptz - interval '24 hours')::int AS before
         FROM click_totals WHERE grain = 3600 AND bucket > $1::timestamptz - interval '8 days' AND bucket <= $1 GROUP BY campaign_id
       ), conversions AS (
         SELECT campaign_id, sum(approved + pending) FILTER (WHERE bucket > $1::timestamptz - interval '24 hours')::int AS today,
                sum(approved + pending) FILTER (WHERE bucket <= $1::timestamptz - interval '24 hours')::int AS before
         FROM conversion_totals WHERE basis = 'conversion' AND grain = 3600 AND bucket > $1::timestamptz - interval '8 days' AND bucket <= $1 GROUP BY campaign_id
       )
       SELECT c.id AS "campaignId", c.name AS "campaignName", COALESCE(k.today, 0) AS "clicksToday", COALESCE(v.today, 0) AS "conversionsToday",
              COALESCE(k.before, 0) AS "clicksBefore", COALESCE(v.before, 0) AS "conversionsBefore"
       FROM campaigns c JOIN clicks k ON k.campaign_id = c.id LEFT JOIN conversions v ON v.campaign_id = c.id
       WHERE c.archived_at IS NULL AND c.paused_at IS NULL
         -- A paused offer's campaigns are paused in effect: their traffic is out of the rollups.
         AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.id = c.offer_id AND o.paused_at IS NOT NULL)
       ORDER BY c.name`,
      [now],
    );
    return rows;
  }

  /**
   * Deliveries given up because the platform refused the target's credentials (`deliveries.alert`), per source, in
   * the 24 hours before `now`. A later successful send clears the flag on its own row, and a replayed delivery
   * that goes through clears it on the replayed row.
   */
  async refusedTargetCredentials(now: Date): Promise<RefusedTargetCredentials[]> {
    const { rows } = await this.db.query<RefusedTargetCredentials>(
      `SELECT traffic_source_id AS "trafficSourceId", min(target_id) AS "targetId", count(*)::int AS count, max(created_at) AS "lastAt"
       FROM deliveries
       WHERE alert AND created_at > $1::timestamptz - interval '24 hours' AND created_at <= $1
       GROUP BY traffic_source_id ORDER BY traffic_source_id`,
      [now],
    );
    return rows;
  }
}
