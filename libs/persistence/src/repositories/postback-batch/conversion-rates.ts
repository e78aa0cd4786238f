import { SUB_PARAMS, withFraudDefaults, type ConversionFacts, type MeasuredRate, type SubParam } from '@postwire/core';
import type { SqlExecutor } from '../../client/sql-client';
import type { ConversionWrite } from './batch-plan';

/** How long a measured rate is reused: a rate over days moves little in a minute, and a burst of conversions reads it once. */
export const RATE_CACHE_MS = 60_000;
/** Rates kept (sources and zones); beyond it the oldest is forgotten, so a flood of distinct zones stays bounded. */
const RATE_CACHE_SIZE = 10_000;

/** Conversions that count toward a rate: every one not declined (a refund was a conversion the source sent). */
const COUNTED = `approved + pending + refunded`;

/** A traffic source's clicks and conversions (by click time) since $2, from the daily report rollups. */
const SOURCE_RATE = `
SELECT (SELECT coalesce(sum(t.clicks), 0) FROM click_totals t
        WHERE t.grain = 86400 AND t.bucket >= $2 AND t.campaign_id IN (SELECT id FROM campaigns WHERE traffic_source_id = $1))::bigint AS clicks,
       (SELECT coalesce(sum(${COUNTED}), 0) FROM conversion_totals t
        WHERE t.basis = 'click' AND t.grain = 86400 AND t.bucket >= $2 AND t.campaign_id IN (SELECT id FROM campaigns WHERE traffic_source_id = $1))::bigint AS conversions`;

/**
 * One zone's (a sub id's value, for a traffic source) clicks since $2 from the daily sub-id rollups, and its
 * conversions (by click time) from the conversions themselves: they carry their click's sub ids, and there
 * are far fewer of them than clicks. Raw clicks are never read.
 */
const subRateSql = (sub: SubParam) => `
SELECT (SELECT coalesce(sum(r.clicks), 0) FROM sub_click_rollups r
        WHERE r.sub = ${SUB_PARAMS.indexOf(sub) + 1} AND r.day >= $2 AND r.value = $3
          AND r.campaign_id IN (SELECT id FROM campaigns WHERE traffic_source_id = $1))::bigint AS clicks,
       (SELECT count(*) FROM conversions cv
        WHERE cv.campaign_id IN (SELECT id FROM campaigns WHERE traffic_source_id = $1) AND cv.click_at >= $2
          AND cv.${sub} = $3 AND cv.status <> 'declined' AND NOT cv.is_test)::bigint AS conversions`;

/** The measured rates of one conversion, as the scorer takes them. */
export type ConversionRates = NonNullable<ConversionFacts['rates']>;

/**
 * Measures the conversion rates the `conversionRate` policy setting judges: of the traffic source a
 * conversion's click came from, and of its zone (the policy's sub id), over the policy's window of UTC
 * days. Read from the report rollups and kept for {@link RATE_CACHE_MS}, so a postback costs at most
 * two small reads per source and zone a minute and usually none.
 */
export class ConversionRateLookup {
  private readonly cache = new Map<string, { at: number; rate: MeasuredRate }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The rates of each new conversion whose policy checks rates, by conversion id. */
  async ratesOf(db: SqlExecutor, conversions: readonly ConversionWrite[]): Promise<Map<string, ConversionRates>> {
    const found = new Map<string, ConversionRates>();
    for (const conversion of conversions) {
      const settings = withFraudDefaults(conversion.ctx.fraud.policy).conversionRate;
      if (!settings || (settings.maxRate === null && settings.minRate === null)) continue;
      const sourceId = conversion.ctx.source.id;
      const from = windowStart(this.now(), settings.windowDays);
      const rates: ConversionRates = { source: await this.measure(db, `s\u0000${sourceId}\u0000${from.getTime()}`, SOURCE_RATE, [sourceId, from]) };
      const sub = settings.subParam;
      const value = sub ? conversion.ctx.subs[sub] : null;
      if (sub && value) {
        const key = `z\u0000${sourceId}\u0000${from.getTime()}\u0000${sub}\u0000${value}`;
        rates.sub = { param: sub, value, ...(await this.measure(db, key, subRateSql(sub), [sourceId, from, value])) };
      }
      found.set(conversion.id, rates);
    }
    return found;
  }

  private async measure(db: SqlExecutor, key: string, sql: string, params: unknown[]): Promise<MeasuredRate> {
    const cached = this.cache.get(key);
    if (cached && this.now() - cached.at < RATE_CACHE_MS) return cached.rate;
    const { rows } = await db.query<{ clicks: string | number; conversions: string | number }>(sql, params);
    const rate = { clicks: Number(rows[0].clicks), conversions: Number(rows[0].conversions) };
    this.cache.delete(key);
    if (this.cache.size >= RATE_CACHE_SIZE) this.cache.delete(this.cache.keys().next().value as string);
    this.cache.set(key, { at: this.now(), rate });
    return rate;
  }
}

/** UTC midnight `days - 1` days before the day of `now`: a window of `days` UTC days, today included. */
export function windowStart(now: number, days: number): Date {
  const today = Math.floor(now / 86_400_000) * 86_400_000;
  return new Date(today - (Math.max(1, days) - 1) * 86_400_000);
}
