import {
  BUCKET_MS,
  coverRuns,
  EMPTY_SUMS,
  isFraudReasonReport,
  isTimeDimension,
  periodRuns,
  REPORT_COLUMN_DEFS,
  SUM_SQL,
  type ReportColumn,
  type SortKey,
  labelBuckets,
  needsRawTables,
  toMicros,
  type FilterDimension,
  type ReportDimension,
  type RowSums,
  type TimeUnit,
  mergeWholeWeeks,
  WEEK_GRAIN,
  type ValueCoverBucket,
} from '@postwire/core';
import type { SqlExecutor } from '../client/sql-client';
import { bucketSql } from './click.repository';
import { ASSESSED, FRAUD_CLICK_COLUMNS, FRAUD_CONVERSION_COLUMNS, fraudClickFigures, fraudConversionFigures, sumSql } from './fraud-rollup-sql';
import { CONVERSION_SUM_COLUMNS, subValueSql } from './rollup-sql';
import { isPairReport, pairCover, pairReportSql, readyPairBuckets } from './sub-pair-report';
import { conversionChangesSql, SUB_ROLLUP_SUMS } from './sub-value-rollups';

/** A stats report request, already validated (from/to on 15-minute boundaries, `to` after `from`). */
export interface StatsQuery {
  from: Date;
  to: Date;
  tz: string;
  /** One to three dimensions. */
  groupBy: ReportDimension[];
  filters: Partial<Record<FilterDimension, string[]>>;
  /** Conversions counted at their click's time (`click`) or their own (`conversion`). */
  attributeBy: 'click' | 'conversion';
  /** The report currency: other currencies are converted with currency_rates. */
  currency: string;
  /** When set, only these campaigns are visible (a scoped user); an empty list sees nothing. */
  allowedCampaignIds?: readonly string[];
  /** A `groupBy=sub1,sub2` report over all campaigns is answered from the pair grain (bounded) unless this is set. */
  exact?: boolean;
}

/** How a page of the report is cut: sort (ties broken by the group keys), then offset and limit (none: every group). */
export interface StatsPageOptions {
  sort: readonly SortKey[];
  limit?: number;
  offset?: number;
}

/** One page of a report: its groups, the sums over every group, and how many groups there are. */
export interface StatsPage {
  groups: StatsGroup[];
  totals: RowSums;
  totalRows: number;
  /** Set when the answer is not exact for every row: read from the pair grain (sub_pair_rollups, migration 034). */
  approximation?: PairApproximation;
}

/** A `groupBy=sub1,sub2` answer from the pair grain: each day or week kept its top pairs exact and summed the rest. */
export interface PairApproximation {
  kind: 'head_pairs';
  /** The fewest pairs a day or week of the range kept when it cut some (SUB_PAIR_HEAD unless configured otherwise); null: none was cut. */
  headPairs: number | null;
}

/** One group of a report: its keys (and names, for ids) and its summed figures. */
export interface StatsGroup {
  keys: Partial<Record<ReportDimension, string>>;
  names: Partial<Record<'campaign' | 'offer' | 'network' | 'trafficSource', string | null>>;
  sums: RowSums;
  /** In an approximate answer: `lowerBound` for a pair cut in some day or week of the range, `other` for the row of everything not listed. */
  mark?: 'exact' | 'lowerBound' | 'other';
}

type SubDimension = (typeof SUBS)[number];

/**
 * The sub id a report can read from the sub-id day rollups: exactly one sub id among its groupings
 * and filters, and no country, device, OS or browser (the rollups are not split by those).
 */
function subRollupDimension(used: readonly string[]): SubDimension | undefined {
  const subs = used.filter((d) => /^sub\d+$/.test(d));
  if (new Set(subs).size !== 1 || used.some((d) => CLICK_COLUMN[d])) return undefined;
  return subs[0] as SubDimension;
}

const SUBS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;

/** A conversion as the CSV export lists it. */
export interface ExportedConversion {
  id: string;
  clickId: string;
  campaignId: string;
  campaignName: string;
  offerId: string;
  networkId: string;
  trafficSourceId: string;
  goal: string;
  txid: string | null;
  status: string;
  payout: string | null;
  revenue: string | null;
  currency: string;
  source: string;
  sortAt: Date;
  clickAt: Date | null;
  createdAt: Date;
  updatedAt: Date;
  country: string;
  deviceType: string;
  os: string;
  browser: string;
  [sub: `sub${number}`]: string | null;
  /** Made by a test postback (only the conversions list's CSV can hold these; the report-range export leaves them out). */
  isTest: boolean;
}

/**
 * The columns of an {@link ExportedConversion} over `conversions cv JOIN campaigns cp`, `sortAt` being `time`:
 * one list for the report-range export and the conversions list's CSV.
 */
export function exportedConversionColumns(time: string): string {
  return `cv.id, cv.click_id AS "clickId", cv.campaign_id AS "campaignId", cp.name AS "campaignName", cp.offer_id AS "offerId",
          cv.network_id AS "networkId", cp.traffic_source_id AS "trafficSourceId", cv.goal, cv.txid, cv.status,
          cv.payout::text AS payout, cv.revenue::text AS revenue, trim(cv.currency) AS currency, cv.source,
          ${time} AS "sortAt", cv.click_at AS "clickAt", cv.created_at AS "createdAt", cv.updated_at AS "updatedAt",
          cv.country, cv.device_type AS "deviceType", cv.os, cv.browser, ${SUBS.map((s) => `cv.${s}`).join(', ')}, cv.is_test AS "isTest"`;
}

const ENTITY: Record<string, { id: string; table: string }> = {
  campaign: { id: 'cp.id', table: 'campaigns' },
  offer: { id: 'cp.offer_id', table: 'offers' },
  network: { id: 'o.network_id', table: 'networks' },
  trafficSource: { id: 'cp.traffic_source_id', table: 'traffic_sources' },
};
const CLICK_COLUMN: Record<string, string> = { country: 'country', deviceType: 'device_type', os: 'os', browser: 'browser' };

type Side = 'clicks' | 'overrides' | 'conversions';

/** The figures of every part of a report, summed per group (numeric: exact). */
const SUMMED = Object.values(SUM_SQL).map((c) => `sum(${c.sql}) AS ${c.sql}`);

/**
 * The fraud figures a part of the report ends its columns with (after `unconverted`; parts are
 * UNIONed by position): summed from the rows (`r`) where the part's source has them, 0 elsewhere.
 */
const FRAUD_COLUMNS = [...FRAUD_CLICK_COLUMNS, ...FRAUD_CONVERSION_COLUMNS];
const fraudTail = (summed: readonly string[] = []) => FRAUD_COLUMNS.map((c) => (summed.includes(c) ? `sum(r.${c}) AS ${c}` : `0 AS ${c}`)).join(', ');

/**
 * The stats report's reads. Groupings the rollups can answer (time, campaign, offer, network,
 * traffic source, country, device, OS, browser, goal) read click_rollups, cost_override_rollups and
 * conversion_rollups; sub ids read the clicks and conversions tables, bounded by the date range.
 * Both give the same figures (a property test holds them to a brute-force recount).
 */
export class StatsRepository {
  constructor(private readonly db: SqlExecutor) {}

  /**
   * One page of the report: the groups summed, sorted and cut in the database, with the totals of
   * every group and their number. The tracker holds the page's rows, never all the groups.
   */
  async page(q: StatsQuery, opts: StatsPageOptions): Promise<StatsPage> {
    if (q.allowedCampaignIds && q.allowedCampaignIds.length === 0) return { groups: [], totals: { ...EMPTY_SUMS }, totalRows: 0 };
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    // A two-level sub report over all campaigns reads the pair grain when any of its range is compacted there (else the exact path).
    const cover = isPairReport(q) ? pairCover(q) : undefined;
    const ready = cover ? await readyPairBuckets(this.db, cover) : undefined;
    const pairs = ready !== undefined && ready.compacted > 0;
    const grouped = this.groupedSql(q, p, pairs ? cover : undefined);
    const marks = pairs ? ['bounded', 'is_other'] : [];
    const sums = Object.values(SUM_SQL);
    const keyCols = q.groupBy.map((d) => `"k_${d}"`);
    // A group whose rollup rows all went back to zero (e.g. a conversion moved to another goal) is no group.
    const nonZero = q.groupBy.length ? `WHERE ${sums.map((c) => `${c.sql} <> 0`).join(' OR ')}` : '';
    // Money rounded once per group, as the answer shows it: the sort and the totals (sums of the rows) use those figures.
    const rounded = sums.map((c) => (c.money ? `round(${c.sql}, 6) AS ${c.sql}` : c.sql));
    const entities = q.groupBy.filter((d) => ENTITY[d]);
    const isName = (k: SortKey) => k.column.endsWith('Name') && entities.includes(k.column.slice(0, -4) as ReportDimension);
    const isFigure = (k: SortKey) => Object.hasOwn(REPORT_COLUMN_DEFS, k.column);
    const sortable = opts.sort.filter((k) => !isName(k));
    // Figures computed before the names are joined: offers has a column `payout` too.
    const ranked = sortable.map((k, i) => `${isFigure(k) ? REPORT_COLUMN_DEFS[k.column as ReportColumn].sql : `"k_${k.column}"`} AS "s_${i}"`);
    const joins = entities.map((d) => `LEFT JOIN ${ENTITY[d].table} "n_${d}" ON "n_${d}".id::text = r."k_${d}"`).join(' ');
    const dir = (k: SortKey) => (k.descending ? 'DESC' : 'ASC');
    const order = [
      ...opts.sort.map((k) => {
        if (isName(k)) return `"n_${k.column.slice(0, -4)}".name COLLATE "C" ${dir(k)} NULLS LAST`;
        const i = sortable.indexOf(k);
        return isFigure(k) ? `r."s_${i}" ${dir(k)} NULLS LAST` : `r."s_${i}" COLLATE "C" ${dir(k)}`;
      }),
      // Ties fall back to the group keys, so pages are stable.
      ...keyCols.map((k) => `r.${k} COLLATE "C"`),
    ];
    const pageCols = [
      ...keyCols.map((k) => `r.${k}`),
      ...sums.map((c) => `r.${c.sql}::text AS ${c.sql}`),
      ...entities.map((d) => `"n_${d}".name AS "name_${d}"`),
      ...marks.map((m) => `r.${m}`),
    ];
    const totalCols = [
      ...keyCols.map((k) => `NULL::text AS ${k}`),
      ...sums.map((c) => `sum(${c.sql})::text AS ${c.sql}`),
      ...entities.map((d) => `NULL::text AS "name_${d}"`),
      ...marks.map((m) => `NULL::boolean AS ${m}`),
    ];
    const limit = opts.limit === undefined ? '' : `LIMIT ${p(opts.limit)}`;
    const offset = opts.offset ? `OFFSET ${p(opts.offset)}` : '';
    const sql = `WITH g AS (${grouped}),
      nz AS (SELECT ${[...keyCols, ...rounded, ...marks].join(', ')} FROM g ${nonZero}),
      ranked AS (SELECT ${['nz.*', ...ranked].join(', ')} FROM nz)
      (SELECT 'row' AS kind, ${pageCols.join(', ')}, NULL::bigint AS groups FROM ranked r ${joins} ${order.length ? `ORDER BY ${order.join(', ')}` : ''} ${limit} ${offset})
      UNION ALL
      (SELECT 'total' AS kind, ${totalCols.join(', ')}, count(*) AS groups FROM nz)`;
    const { rows } = await this.db.query<Record<string, string | number | null>>(sql, params);
    const total = rows.find((r) => r.kind === 'total');
    const groups = rows
      .filter((r) => r.kind === 'row')
      .map((row): StatsGroup => ({
        keys: Object.fromEntries(q.groupBy.map((d) => [d, (row[`k_${d}`] as string | null) ?? ''])),
        names: Object.fromEntries(entities.map((d) => [d, (row[`name_${d}`] as string | null) ?? null])),
        sums: sumsOf(row),
        ...(pairs ? { mark: row.is_other ? ('other' as const) : row.bounded ? ('lowerBound' as const) : ('exact' as const) } : {}),
      }));
    return {
      groups,
      totals: total ? sumsOf(total) : { ...EMPTY_SUMS },
      totalRows: Number(total?.groups ?? 0),
      ...(pairs ? { approximation: { kind: 'head_pairs' as const, headPairs: ready.headPairs } } : {}),
    };
  }

  /** Every group of the report, in group-key order (tests and small internal reads; the API pages with {@link page}). */
  async groups(q: StatsQuery): Promise<StatsGroup[]> {
    return (await this.page(q, { sort: [] })).groups;
  }

  /** The report's groups as one SELECT: group keys `k_<dimension>` and the summed figures of {@link SUM_SQL} (numeric). */
  private groupedSql(q: StatsQuery, p: (v: unknown) => string, pairBuckets?: ValueCoverBucket[]): string {
    const used = [...q.groupBy, ...Object.keys(q.filters)];
    if (isFraudReasonReport(used)) return this.fraudReasonSql(q, p);
    if (!used.some((d) => CLICK_COLUMN[d] || needsRawTables([d]))) return this.totalsSql(q, p);
    const raw = needsRawTables(used);
    const timeDim = q.groupBy.find(isTimeDimension);
    let periods = '';
    if (timeDim) {
      const labels = labelBuckets(q.from.getTime(), q.to.getTime(), q.tz, timeDim as TimeUnit);
      periods = `periods AS (SELECT * FROM unnest(${p(labels.map((l) => l.bucket))}::timestamptz[], ${p(labels.map((l) => l.label))}::text[]) AS t(bucket, label)),`;
    }
    const from = p(q.from);
    const to = p(q.to);
    const currency = p(q.currency);

    // `conversionsIn`: a CTE of click-time ranges (start_at, end_at) the conversions side reads instead of the whole range.
    const side = (s: Side, conversionsIn?: string): string => {
      const timeCol = s === 'conversions' ? (q.attributeBy === 'click' ? 'r.click_bucket' : 'r.conversion_bucket') : 'r.bucket';
      // Every source filters the range itself (on its indexed column); repeating it out here would
      // only make the planner expect a handful of rows and pick nested loops.
      const where: string[] = ['true'];
      if (q.allowedCampaignIds) where.push(`r.campaign_id = ANY(${p(q.allowedCampaignIds)}::uuid[])`);
      for (const [dim, values] of Object.entries(q.filters) as [FilterDimension, string[]][]) {
        if (!values?.length) continue;
        // Ids compare as uuid, so the rollups' (campaign_id, …) index serves a campaign filter.
        if (dim === 'campaign') where.push(`r.campaign_id = ANY(${p(values)}::uuid[])`);
        else if (ENTITY[dim]) where.push(`${ENTITY[dim].id} = ANY(${p(values)}::uuid[])`);
        else where.push(`${this.dimension(dim, s)} = ANY(${p(values)}::text[])`);
      }
      const keys = q.groupBy.map((d) => `${isTimeDimension(d) ? 'pr.label' : this.dimension(d, s)} AS "k_${d}"`);
      const joins = [
        'JOIN campaigns cp ON cp.id = r.campaign_id',
        'JOIN offers o ON o.id = cp.offer_id',
        timeDim ? `JOIN periods pr ON pr.bucket = ${timeCol}` : '',
      ];
      const source = raw ? this.rawSource(s, from, to, q, conversionsIn) : this.rollupSource(s, from, to, q, p);
      if (source === null) return '';
      let figures: string;
      if (s === 'clicks') {
        joins.push('LEFT JOIN cost_override_buckets ob ON ob.campaign_id = r.campaign_id AND ob.bucket = r.bucket');
        const overridden = raw
          ? `(SELECT cc.per_click + CASE WHEN cc.first_click_id = r.id THEN cc.remainder ELSE 0 END FROM cost_corrections cc WHERE cc.id = ob.correction_id)`
          : '0';
        figures = `sum(r.clicks) AS clicks, sum(r.unique_clicks) AS unique_clicks, sum(r.clicks_without_cost) AS clicks_without_cost,
          sum(CASE WHEN ob.bucket IS NULL THEN r.cost ELSE ${overridden} END) AS cost,
          0 AS approved, 0 AS pending, 0 AS declined, 0 AS refunded, 0 AS payout, 0 AS approved_payout, 0 AS declined_payout, 0 AS refunded_payout, 0 AS sale_amount, 0 AS unconverted,
          ${fraudTail(FRAUD_CLICK_COLUMNS)}`;
      } else if (s === 'overrides') {
        figures = `0 AS clicks, 0 AS unique_clicks, 0 AS clicks_without_cost, sum(r.cost) AS cost,
          0 AS approved, 0 AS pending, 0 AS declined, 0 AS refunded, 0 AS payout, 0 AS approved_payout, 0 AS declined_payout, 0 AS refunded_payout, 0 AS sale_amount, 0 AS unconverted,
          ${fraudTail()}`;
      } else {
        joins.push('LEFT JOIN cost_override_buckets ob ON ob.campaign_id = r.campaign_id AND ob.bucket = r.click_bucket');
        // The latest rate on or before the conversion's UTC day; none → the conversion is counted as unconverted, its money left out.
        joins.push(`LEFT JOIN LATERAL (SELECT CASE WHEN r.currency = ${currency} THEN 1::numeric ELSE
            (SELECT x.rate FROM currency_rates x WHERE x.currency = r.currency AND x.day <= (r.conversion_bucket AT TIME ZONE 'UTC')::date ORDER BY x.day DESC LIMIT 1) END AS rate) fx ON true`);
        const money = (col: string) => `sum(CASE WHEN fx.rate IS NULL THEN 0 ELSE r.${col} * fx.rate END)`;
        figures = `0 AS clicks, 0 AS unique_clicks, 0 AS clicks_without_cost,
          sum(CASE WHEN ob.bucket IS NOT NULL THEN 0 ELSE r.cost + CASE WHEN fx.rate IS NULL THEN 0 ELSE r.cost_native * fx.rate END END) AS cost,
          sum(r.approved) AS approved, sum(r.pending) AS pending, sum(r.declined) AS declined, sum(r.refunded) AS refunded,
          ${money('payout')} AS payout, ${money('approved_payout')} AS approved_payout, ${money('declined_payout')} AS declined_payout,
          ${money('refunded_payout')} AS refunded_payout, ${money('sale_amount')} AS sale_amount,
          sum(CASE WHEN fx.rate IS NULL THEN r.approved + r.pending ELSE 0 END) AS unconverted, ${fraudTail(FRAUD_CONVERSION_COLUMNS)}`;
      }
      const groupBy = q.groupBy.length ? `GROUP BY ${q.groupBy.map((_, i) => i + 1).join(', ')}` : '';
      return `SELECT ${[...keys, figures].join(', ')} FROM ${source} r ${joins.join(' ')} WHERE ${where.join(' AND ')} ${groupBy}`;
    };

    if (pairBuckets) return pairReportSql(q.groupBy, pairBuckets, p, side('conversions'));
    const sub = subRollupDimension(used);
    let subCtes = '';
    let parts: string[];
    if (sub) {
      const acrossCampaigns = !q.allowedCampaignIds && used.every((d) => d === sub || isTimeDimension(d));
      // Conversions at their click's time over all campaigns are in the value rollups too (migration 033).
      const subPart = this.subPart(q, p, sub, acrossCampaigns, acrossCampaigns && q.attributeBy === 'click' ? currency : undefined);
      subCtes = `${subPart.ctes},`;
      parts = [subPart.sql, side('conversions', subPart.conversionsIn)];
    } else {
      parts = (raw ? (['clicks', 'conversions'] as Side[]) : (['clicks', 'overrides', 'conversions'] as Side[])).map((s) => side(s)).filter(Boolean);
    }
    const keyCols = q.groupBy.map((d) => `"k_${d}"`);
    return `WITH ${periods} ${subCtes} parts AS (${parts.join(' UNION ALL ')})
      SELECT ${[...keyCols, ...SUMMED].join(', ')}
      FROM parts ${keyCols.length ? `GROUP BY ${keyCols.join(', ')}` : ''}`;
  }

  /**
   * The clicks of a report by one sub id (and time, entities, goal), from the sub-id rollups: each
   * period is covered as in {@link totalsSql}. Over all campaigns (no campaign scope, filter or
   * entity), its whole ISO weeks and UTC days read one row per value from sub_value_rollups
   * (migration 027) where that week or day is compacted and current, and one per campaign and value
   * from sub_click_rollups (013) where not; otherwise every whole day reads sub_click_rollups. The
   * rest (hours and quarters at the edges of a zone's days and of the range) read raw clicks, which
   * stays exact in every zone. A manual cost correction inside a whole day takes the model cost of
   * its clicks back out (from the raw clicks of its buckets) and puts the correction's in.
   *
   * With `currency` (conversions at their click's time, over all campaigns), the value rows also carry
   * the conversions of their clicks (migration 033) where their conversion side is current too and all
   * in that currency; `conversionsIn` then names the CTE of the click-time ranges whose conversions the
   * report still reads raw (the rest of the cover). A manual cost correction takes those conversions'
   * model costs back out, as the raw path leaves them out.
   *
   * Same columns, in the same order, as the parts of the detailed path.
   */
  private subPart(
    q: StatsQuery,
    p: (v: unknown) => string,
    sub: SubDimension,
    acrossCampaigns: boolean,
    currency: string | undefined,
  ): { ctes: string; sql: string; conversionsIn?: string } {
    const alignUp = (ms: number) => Math.ceil(ms / BUCKET_MS) * BUCKET_MS;
    const timeDim = q.groupBy.find(isTimeDimension) as TimeUnit | undefined;
    const dayCover = coverRuns(periodRuns(alignUp(q.from.getTime()), alignUp(q.to.getTime()), q.tz, timeDim));
    const cover: ValueCoverBucket[] = acrossCampaigns ? mergeWholeWeeks(dayCover) : dayCover;
    const subNumber = p(Number(sub.slice(3)));
    const subLiteral = String(Number(sub.slice(3)));
    const campaigns = (col: string) => {
      const where: string[] = [];
      if (q.allowedCampaignIds) where.push(`${col} = ANY(${p(q.allowedCampaignIds)}::uuid[])`);
      if (q.filters.campaign?.length) where.push(`${col} = ANY(${p(q.filters.campaign)}::uuid[])`);
      return where.map((w) => ` AND ${w}`).join('');
    };
    const values = q.filters[sub]?.length ? p(q.filters[sub]) : undefined;
    const valueFilter = (expr: string) => (values ? ` AND ${expr} = ANY(${values}::text[])` : '');
    const rawValue = subValueSql('k', subLiteral);
    const corrected = `(cc.per_click + CASE WHEN cc.first_click_id = k.id THEN cc.remainder ELSE 0 END)`;
    const sums = SUB_ROLLUP_SUMS.map((c) => `t.${c}`).join(', ');
    const withConversions = currency !== undefined;
    const end = (g: string) => `${g}.bucket + ${g}.grain * interval '1 second'`;
    // The cover's whole days and weeks, what each reads (`compacted`: sub_value_rollups, `conversions`: its
    // conversion figures too), and every whole day (for corrections).
    const ctes = `cover AS (SELECT * FROM unnest(${p(cover.map((c) => c.grain))}::int[], ${p(cover.map((c) => c.bucket))}::timestamptz[], ${p(cover.map((c) => c.label))}::text[]) AS t(grain, bucket, label)),
      whole AS (SELECT * FROM cover WHERE grain >= 86400),
      week_days AS (SELECT 86400 AS grain, w.bucket + n * interval '86400 seconds' AS bucket, w.label, w.bucket AS week
                    FROM whole w CROSS JOIN generate_series(0, 6) AS n WHERE w.grain = ${WEEK_GRAIN}),
      days AS (SELECT bucket, label FROM whole WHERE grain = 86400 UNION ALL SELECT bucket, label FROM week_days),
      ${
        acrossCampaigns
          ? `marks AS (
        SELECT x.grain, x.bucket,
               b.clicks = (SELECT coalesce(sum(ct.clicks), 0) FROM click_totals ct WHERE ct.grain = 86400 AND ct.bucket >= x.bucket AND ct.bucket < ${end('x')}) AS current,
               ${
                 withConversions
                   ? `coalesce(b.conversion_changes = ${conversionChangesSql('x.grain', 'x.bucket')}, false) AND b.conversion_currencies <@ ARRAY[${currency}::text]`
                   : 'false'
               } AS conversions
        FROM (SELECT grain, bucket FROM whole UNION ALL SELECT grain, bucket FROM week_days) x
        JOIN sub_value_buckets b ON b.grain = x.grain AND b.bucket = x.bucket),
      ready AS (SELECT grain, bucket, conversions FROM marks WHERE current),
      plan AS (
        SELECT w.grain, w.bucket, w.label, true AS compacted, r.conversions FROM whole w JOIN ready r ON r.grain = w.grain AND r.bucket = w.bucket
        UNION ALL
        SELECT d.grain, d.bucket, d.label, r.bucket IS NOT NULL, coalesce(r.conversions, false) FROM week_days d LEFT JOIN ready r ON r.grain = 86400 AND r.bucket = d.bucket
        WHERE NOT EXISTS (SELECT 1 FROM ready r WHERE r.grain = ${WEEK_GRAIN} AND r.bucket = d.week)
        UNION ALL
        SELECT w.grain, w.bucket, w.label, false, false FROM whole w WHERE w.grain = 86400 AND NOT EXISTS (SELECT 1 FROM ready r WHERE r.grain = 86400 AND r.bucket = w.bucket))`
          : `plan AS (SELECT grain, bucket, label, false AS compacted, false AS conversions FROM whole)`
      }${
        withConversions
          ? `,
      uncompacted_conversions AS (
        SELECT bucket AS start_at, ${end('c')} AS end_at FROM plan c WHERE NOT c.conversions
        UNION ALL
        SELECT bucket, ${end('c')} FROM cover c WHERE c.grain < 86400)`
          : ''
      }`;
    // LATERAL … OFFSET 0 (a subquery the planner may not flatten): each planned day or week is read
    // through the rollup's key. The planner cannot tell how few rows `plan` has, and otherwise hashes
    // it against a scan of the whole rollup (5.8 M rows, 5 s at 10 M clicks).
    const source = `(
      SELECT NULL::uuid AS campaign_id, c.label, t.value, ${sums}
      FROM plan c CROSS JOIN LATERAL (SELECT * FROM sub_value_rollups t WHERE c.compacted AND t.sub = ${subNumber} AND t.grain = c.grain AND t.bucket = c.bucket${valueFilter('t.value')} OFFSET 0) t
      UNION ALL
      SELECT t.campaign_id, c.label, t.value, ${sums}
      FROM plan c CROSS JOIN LATERAL (SELECT * FROM sub_click_rollups t WHERE NOT c.compacted AND t.sub = ${subNumber} AND t.day = c.bucket${campaigns('t.campaign_id')}${valueFilter('t.value')} OFFSET 0) t
      UNION ALL
      SELECT k.campaign_id, c.label, ${rawValue}, 1, k.is_unique::int, CASE WHEN ob.bucket IS NULL THEN k.cost ELSE ${corrected} END, k.cost_missing::int,
             ${fraudClickFigures('k')}
      FROM cover c JOIN clicks k ON c.grain < 86400 AND k.created_at >= c.bucket AND k.created_at < c.bucket + c.grain * interval '1 second' AND NOT k.paused
      LEFT JOIN cost_override_buckets ob ON ob.campaign_id = k.campaign_id AND ob.bucket = ${bucketSql('k.created_at')}
      LEFT JOIN cost_corrections cc ON cc.id = ob.correction_id
      WHERE true${campaigns('k.campaign_id')}${valueFilter(rawValue)}
      UNION ALL
      SELECT k.campaign_id, c.label, ${rawValue}, 0, 0, ${corrected} - k.cost, 0, ${FRAUD_CLICK_COLUMNS.map(() => '0').join(', ')}
      FROM days c JOIN cost_override_buckets ob ON ob.bucket >= c.bucket AND ob.bucket < c.bucket + interval '1 day'
      JOIN cost_corrections cc ON cc.id = ob.correction_id
      JOIN clicks k ON k.campaign_id = ob.campaign_id AND k.created_at >= ob.bucket AND k.created_at < ob.bucket + interval '15 minutes' AND NOT k.paused
      WHERE true${campaigns('ob.campaign_id')}${valueFilter(rawValue)})`;
    // The conversion rows of the value rollups' buckets whose conversion side is current, and where a manual
    // cost correction governs a quarter of them, its conversions' model costs back out.
    const cv = subValueSql('cv', subLiteral);
    const conversionSource = `(
      SELECT c.label, t.value, ${CONVERSION_SUM_COLUMNS.map((x) => `t.${x}`).join(', ')}
      FROM plan c CROSS JOIN LATERAL (SELECT * FROM sub_value_conversions t WHERE c.conversions AND t.sub = ${subNumber} AND t.grain = c.grain AND t.bucket = c.bucket${valueFilter('t.value')} OFFSET 0) t
      UNION ALL
      SELECT c.label, ${cv}, ${CONVERSION_SUM_COLUMNS.map((x) => (x === 'cost' || x === 'cost_native' ? `-cv.${x}` : '0')).join(', ')}
      FROM plan c JOIN cost_override_buckets ob ON c.conversions AND ob.bucket >= c.bucket AND ob.bucket < ${end('c')}
      JOIN conversions cv ON cv.campaign_id = ob.campaign_id AND cv.click_at >= ob.bucket AND cv.click_at < ob.bucket + interval '15 minutes' AND NOT cv.is_test
      WHERE true${valueFilter(cv)})`;
    const where: string[] = ['true'];
    for (const [dim, list] of Object.entries(q.filters) as [FilterDimension, string[]][]) {
      if (!list?.length || dim === 'campaign' || dim === sub) continue;
      if (ENTITY[dim]) where.push(`${ENTITY[dim].id} = ANY(${p(list)}::uuid[])`);
      else where.push(`${this.dimension(dim, 'clicks')} = ANY(${p(list)}::text[])`);
    }
    const keys = q.groupBy.map((d) => `${isTimeDimension(d) ? 'r.label' : d === sub ? 'r.value' : this.dimension(d, 'clicks')} AS "k_${d}"`);
    const figures = `sum(r.clicks) AS clicks, sum(r.unique_clicks) AS unique_clicks, sum(r.clicks_without_cost) AS clicks_without_cost, sum(r.cost) AS cost,
      0 AS approved, 0 AS pending, 0 AS declined, 0 AS refunded, 0 AS payout, 0 AS approved_payout, 0 AS declined_payout, 0 AS refunded_payout, 0 AS sale_amount, 0 AS unconverted,
      ${fraudTail(FRAUD_CLICK_COLUMNS)}`;
    // The conversions' money is in the report currency here (a bucket in another is read raw), so at rate 1.
    const conversionFigures = `0 AS clicks, 0 AS unique_clicks, 0 AS clicks_without_cost, sum(r.cost + r.cost_native) AS cost,
      ${['approved', 'pending', 'declined', 'refunded', 'payout', 'approved_payout', 'declined_payout', 'refunded_payout', 'sale_amount'].map((c) => `sum(r.${c}) AS ${c}`).join(', ')},
      0 AS unconverted, ${fraudTail(FRAUD_CONVERSION_COLUMNS)}`;
    const groupBy = q.groupBy.length ? `GROUP BY ${q.groupBy.map((_, i) => i + 1).join(', ')}` : '';
    // Rows summed over campaigns have no campaign to join (and need none: nothing of the report is per campaign).
    const joins = acrossCampaigns ? '' : 'JOIN campaigns cp ON cp.id = r.campaign_id JOIN offers o ON o.id = cp.offer_id';
    return {
      ctes,
      // Clicks and conversions grouped apart (the report groups them together after): a million click rows
      // carrying 13 more sums would spill a hash table twice the size (45 batches to disk instead of 21 at 10 M clicks).
      sql: `SELECT ${[...keys, figures].join(', ')} FROM ${source} r ${joins} WHERE ${where.join(' AND ')} ${groupBy}${
        withConversions ? ` UNION ALL SELECT ${[...keys, conversionFigures].join(', ')} FROM ${conversionSource} r ${groupBy}` : ''
      }`,
      conversionsIn: withConversions ? 'uncompacted_conversions' : undefined,
    };
  }

  /**
   * Reports by time, campaign, offer, network, traffic source and goal only: read the per-campaign
   * totals (migration 009) over the cover of the range — whole UTC days, whole hours, 15-minute
   * buckets at the ragged ends of each period — so a 30-day report reads about one row per campaign
   * and day rather than every 15-minute row. Model costs in the totals are the same as in the
   * detailed rollups; where a manual correction governs a 15-minute bucket, its model costs (of the
   * clicks, and of the conversions of clicks in it) are taken back out from the detailed rollups and
   * the correction's amounts added, as the detailed path does.
   */
  private totalsSql(q: StatsQuery, p: (v: unknown) => string): string {
    const timeDim = q.groupBy.find(isTimeDimension) as TimeUnit | undefined;
    // The buckets that start in [from, to), as the detailed path's range filter reads them (callers other than the API may pass instants off the quarter hour).
    const alignUp = (ms: number) => Math.ceil(ms / BUCKET_MS) * BUCKET_MS;
    const runs = periodRuns(alignUp(q.from.getTime()), alignUp(q.to.getTime()), q.tz, timeDim);
    const cover = coverRuns(runs);
    const basis = q.attributeBy;
    const currency = p(q.currency);
    const ctes = `cover AS (SELECT * FROM unnest(${p(cover.map((c) => c.grain))}::int[], ${p(cover.map((c) => c.bucket))}::timestamptz[], ${p(cover.map((c) => c.label))}::text[]) AS t(grain, bucket, label)),
      runs AS (SELECT * FROM unnest(${p(runs.map((r) => r.start))}::timestamptz[], ${p(runs.map((r) => r.end))}::timestamptz[], ${p(runs.map((r) => r.label))}::text[]) AS t(start_at, end_at, label))`;

    const campaignWhere = (col: string): string[] => {
      const where: string[] = [];
      if (q.allowedCampaignIds) where.push(`${col} = ANY(${p(q.allowedCampaignIds)}::uuid[])`);
      if (q.filters.campaign?.length) where.push(`${col} = ANY(${p(q.filters.campaign)}::uuid[])`);
      return where;
    };
    const onlyCampaigns = (col: string): string => {
      const where = campaignWhere(col);
      return where.length ? `WHERE ${where.join(' AND ')}` : '';
    };
    const outerWhere = (s: Side): string[] => {
      const where: string[] = [];
      for (const [dim, values] of Object.entries(q.filters) as [FilterDimension, string[]][]) {
        if (!values?.length || dim === 'campaign') continue;
        if (ENTITY[dim]) where.push(`${ENTITY[dim].id} = ANY(${p(values)}::uuid[])`);
        else where.push(`${this.dimension(dim, s)} = ANY(${p(values)}::text[])`);
      }
      return where;
    };
    const keys = (s: Side) => q.groupBy.map((d) => `${isTimeDimension(d) ? 'r.label' : this.dimension(d, s)} AS "k_${d}"`);
    const joins = 'JOIN campaigns cp ON cp.id = r.campaign_id JOIN offers o ON o.id = cp.offer_id';
    const goal = q.groupBy.includes('goal') || q.filters.goal?.length ? 'goal' : "''::text";
    const fx = `LEFT JOIN LATERAL (SELECT CASE WHEN r.currency = ${currency} THEN 1::numeric ELSE
        (SELECT x.rate FROM currency_rates x WHERE x.currency = r.currency AND x.day <= r.conversion_day ORDER BY x.day DESC LIMIT 1) END AS rate) fx ON true`;
    const zero = (cols: string[]) => cols.map((c) => `0 AS ${c}`).join(', ');
    const CONV = [
      'approved',
      'pending',
      'declined',
      'refunded',
      'payout',
      'approved_payout',
      'declined_payout',
      'refunded_payout',
      'sale_amount',
      'unconverted',
    ];
    const CLICK = ['clicks', 'unique_clicks', 'clicks_without_cost'];
    const part = (s: Side, source: string, figures: string, extraJoins = '') => {
      const where = outerWhere(s);
      const groupBy = q.groupBy.length ? `GROUP BY ${q.groupBy.map((_, i) => i + 1).join(', ')}` : '';
      return `SELECT ${[...keys(s), figures].join(', ')} FROM ${source} r ${joins} ${extraJoins} ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ${groupBy}`;
    };
    // Sums over the cover first (one row per campaign, label, and for conversions goal, currency and UTC day), then joins.
    const clicks = part(
      'clicks',
      `(SELECT t.campaign_id, c.label, sum(t.clicks) AS clicks, sum(t.unique_clicks) AS unique_clicks, sum(t.clicks_without_cost) AS clicks_without_cost, sum(t.cost) AS cost,
               ${sumSql(FRAUD_CLICK_COLUMNS, 't.')}
        FROM cover c JOIN click_totals t ON t.grain = c.grain AND t.bucket = c.bucket ${campaignWhere('t.campaign_id')
          .map((w) => `AND ${w}`)
          .join(' ')}
        GROUP BY 1, 2)`,
      `sum(r.clicks) AS clicks, sum(r.unique_clicks) AS unique_clicks, sum(r.clicks_without_cost) AS clicks_without_cost, sum(r.cost) AS cost, ${zero(CONV)},
       ${fraudTail(FRAUD_CLICK_COLUMNS)}`,
    );
    const conversions = part(
      'conversions',
      `(SELECT t.campaign_id, c.label, t.conversion_day, t.currency, ${goal} AS goal,
               sum(t.approved) AS approved, sum(t.pending) AS pending, sum(t.declined) AS declined, sum(t.refunded) AS refunded, sum(t.payout) AS payout,
               sum(t.approved_payout) AS approved_payout, sum(t.declined_payout) AS declined_payout, sum(t.refunded_payout) AS refunded_payout, sum(t.sale_amount) AS sale_amount, sum(t.cost) AS cost, sum(t.cost_native) AS cost_native,
               ${sumSql(FRAUD_CONVERSION_COLUMNS, 't.')}
        FROM cover c JOIN conversion_totals t ON t.basis = ${p(basis)} AND t.grain = c.grain AND t.bucket = c.bucket ${campaignWhere('t.campaign_id')
          .map((w) => `AND ${w}`)
          .join(' ')}
        GROUP BY 1, 2, 3, 4, 5)`,
      `${zero(CLICK)}, sum(r.cost + CASE WHEN fx.rate IS NULL THEN 0 ELSE r.cost_native * fx.rate END) AS cost,
       sum(r.approved) AS approved, sum(r.pending) AS pending, sum(r.declined) AS declined, sum(r.refunded) AS refunded,
       ${['payout', 'approved_payout', 'declined_payout', 'refunded_payout', 'sale_amount'].map((c) => `sum(CASE WHEN fx.rate IS NULL THEN 0 ELSE r.${c} * fx.rate END) AS ${c}`).join(', ')},
       sum(CASE WHEN fx.rate IS NULL THEN r.approved + r.pending ELSE 0 END) AS unconverted, ${fraudTail(FRAUD_CONVERSION_COLUMNS)}`,
      fx,
    );
    // Manual corrections: their amounts in, the model costs of the buckets they govern out.
    const inRun = (col: string) => `JOIN runs pr ON ${col} >= pr.start_at AND ${col} < pr.end_at`;
    const overrides = part(
      'overrides',
      `(SELECT o.campaign_id, pr.label, sum(o.cost) AS cost FROM cost_override_rollups o ${inRun('o.bucket')}
        ${onlyCampaigns('o.campaign_id')} GROUP BY 1, 2)`,
      `${zero(CLICK)}, sum(r.cost) AS cost, ${zero(CONV)}, ${fraudTail()}`,
    );
    const overriddenClicks = part(
      'clicks',
      `(SELECT d.campaign_id, pr.label, sum(d.cost) AS cost FROM cost_override_buckets ob
        JOIN click_rollups d ON d.campaign_id = ob.campaign_id AND d.bucket = ob.bucket ${inRun('ob.bucket')}
        ${onlyCampaigns('ob.campaign_id')} GROUP BY 1, 2)`,
      `${zero(CLICK)}, -sum(r.cost) AS cost, ${zero(CONV)}, ${fraudTail()}`,
    );
    const time = basis === 'click' ? 'd.click_bucket' : 'd.conversion_bucket';
    const overriddenConversions = part(
      'conversions',
      `(SELECT d.campaign_id, pr.label, (d.conversion_bucket AT TIME ZONE 'UTC')::date AS conversion_day, d.currency, ${goal === 'goal' ? 'd.goal' : "''::text"} AS goal,
               sum(d.cost) AS cost, sum(d.cost_native) AS cost_native
        FROM cost_override_buckets ob JOIN conversion_rollups d ON d.campaign_id = ob.campaign_id AND d.click_bucket = ob.bucket ${inRun(time)}
        ${onlyCampaigns('ob.campaign_id')} GROUP BY 1, 2, 3, 4, 5)`,
      `${zero(CLICK)}, -sum(r.cost + CASE WHEN fx.rate IS NULL THEN 0 ELSE r.cost_native * fx.rate END) AS cost, ${zero(CONV)}, ${fraudTail()}`,
      fx,
    );
    const keyCols = q.groupBy.map((d) => `"k_${d}"`);
    return `WITH ${ctes}, parts AS (${[clicks, conversions, overrides, overriddenClicks, overriddenConversions].join(' UNION ALL ')})
      SELECT ${[...keyCols, ...SUMMED].join(', ')} FROM parts ${keyCols.length ? `GROUP BY ${keyCols.join(', ')}` : ''}`;
  }

  /**
   * Reports grouped or filtered by fraud reason (time and entities besides, checked by the request
   * schema): read the per-reason rollups (migration 026), one row per campaign, 15-minute bucket and
   * fired reason, so a click or conversion with several reasons counts under each. Those rollups hold
   * counts only: clicks (with the reason), suspicious and bot clicks, conversions by status, held and
   * rejected as fraud; money figures are 0 here.
   */
  private fraudReasonSql(q: StatsQuery, p: (v: unknown) => string): string {
    const timeDim = q.groupBy.find(isTimeDimension);
    let periods = '';
    if (timeDim) {
      const labels = labelBuckets(q.from.getTime(), q.to.getTime(), q.tz, timeDim as TimeUnit);
      periods = `periods AS (SELECT * FROM unnest(${p(labels.map((l) => l.bucket))}::timestamptz[], ${p(labels.map((l) => l.label))}::text[]) AS t(bucket, label)),`;
    }
    const from = p(q.from);
    const to = p(q.to);
    const part = (table: string, timeCol: string, summed: readonly string[]) => {
      const where = [`r.${timeCol} >= ${from}`, `r.${timeCol} < ${to}`];
      if (q.allowedCampaignIds) where.push(`r.campaign_id = ANY(${p(q.allowedCampaignIds)}::uuid[])`);
      for (const [dim, values] of Object.entries(q.filters) as [FilterDimension, string[]][]) {
        if (!values?.length) continue;
        if (dim === 'campaign') where.push(`r.campaign_id = ANY(${p(values)}::uuid[])`);
        else if (ENTITY[dim]) where.push(`${ENTITY[dim].id} = ANY(${p(values)}::uuid[])`);
        else where.push(`${this.dimension(dim, 'clicks')} = ANY(${p(values)}::text[])`);
      }
      const keys = q.groupBy.map((d) => `${isTimeDimension(d) ? 'pr.label' : this.dimension(d, 'clicks')} AS "k_${d}"`);
      const figures = Object.values(SUM_SQL).map((c) => (summed.includes(c.sql) ? `sum(r.${c.sql}) AS ${c.sql}` : `0 AS ${c.sql}`));
      const joins = [
        'JOIN campaigns cp ON cp.id = r.campaign_id',
        'JOIN offers o ON o.id = cp.offer_id',
        timeDim ? `JOIN periods pr ON pr.bucket = r.${timeCol}` : '',
      ];
      const groupBy = q.groupBy.length ? `GROUP BY ${q.groupBy.map((_, i) => i + 1).join(', ')}` : '';
      return `SELECT ${[...keys, ...figures].join(', ')} FROM ${table} r ${joins.join(' ')} WHERE ${where.join(' AND ')} ${groupBy}`;
    };
    const clicks = part('fraud_reason_click_rollups', 'bucket', ['clicks', ...FRAUD_CLICK_COLUMNS]);
    const conversions = part('fraud_reason_conversion_rollups', q.attributeBy === 'click' ? 'click_bucket' : 'conversion_bucket', [
      'approved',
      'pending',
      'declined',
      'refunded',
      ...FRAUD_CONVERSION_COLUMNS,
    ]);
    const keyCols = q.groupBy.map((d) => `"k_${d}"`);
    return `WITH ${periods} parts AS (${clicks} UNION ALL ${conversions})
      SELECT ${[...keyCols, ...SUMMED].join(', ')} FROM parts ${keyCols.length ? `GROUP BY ${keyCols.join(', ')}` : ''}`;
  }

  /** The SQL for a dimension on one side of the report. Clicks have no goal: they count under goal '' (the default goal). */
  private dimension(dim: ReportDimension, s: Side): string {
    if (ENTITY[dim]) return `${ENTITY[dim].id}::text`;
    if (CLICK_COLUMN[dim]) return `r.${CLICK_COLUMN[dim]}`;
    if (dim === 'goal') return s === 'conversions' ? 'r.goal' : "''";
    if (dim === 'fraudReason') return 'r.reason'; // the per-reason rollups only
    return `coalesce(r.${dim}, '')`; // sub ids (raw tables only)
  }

  /**
   * The rollup rows of the range, first summed over the dimensions the request does not use (a
   * report by day and campaign reads 15-minute rows per campaign, not per country × device × …),
   * so the joins that follow see as few rows as possible.
   */
  private rollupSource(s: Side, from: string, to: string, q: StatsQuery, p: (v: unknown) => string): string {
    const used = new Set<string>([...q.groupBy, ...Object.keys(q.filters)]);
    const dims = Object.entries(CLICK_COLUMN).map(([dim, col]) => (used.has(dim) ? col : `''::text AS ${col}`));
    const keep = Object.entries(CLICK_COLUMN)
      .filter(([dim]) => used.has(dim))
      .map(([, col]) => col);
    const campaigns: string[] = [];
    if (q.allowedCampaignIds) campaigns.push(`campaign_id = ANY(${p(q.allowedCampaignIds)}::uuid[])`);
    if (q.filters.campaign?.length) campaigns.push(`campaign_id = ANY(${p(q.filters.campaign)}::uuid[])`);
    if (s === 'conversions') {
      const timeCol = q.attributeBy === 'click' ? 'click_bucket' : 'conversion_bucket';
      const goal = used.has('goal') ? ['goal'] : [];
      return `(SELECT campaign_id, click_bucket, conversion_bucket, currency, ${goal.length ? 'goal' : "''::text AS goal"}, ${dims.join(', ')},
                sum(approved) AS approved, sum(pending) AS pending, sum(declined) AS declined, sum(refunded) AS refunded, sum(payout) AS payout,
                sum(approved_payout) AS approved_payout, sum(declined_payout) AS declined_payout, sum(refunded_payout) AS refunded_payout, sum(sale_amount) AS sale_amount, sum(cost) AS cost, sum(cost_native) AS cost_native,
                ${sumSql(FRAUD_CONVERSION_COLUMNS)}
              FROM conversion_rollups WHERE ${[`${timeCol} >= ${from}`, `${timeCol} < ${to}`, ...campaigns].join(' AND ')}
              GROUP BY ${['campaign_id', 'click_bucket', 'conversion_bucket', 'currency', ...goal, ...keep].join(', ')})`;
    }
    const table = s === 'clicks' ? 'click_rollups' : 'cost_override_rollups';
    const sums =
      s === 'clicks'
        ? `sum(clicks) AS clicks, sum(unique_clicks) AS unique_clicks, sum(cost) AS cost, sum(clicks_without_cost) AS clicks_without_cost, ${sumSql(FRAUD_CLICK_COLUMNS)}`
        : 'sum(cost) AS cost';
    return `(SELECT campaign_id, bucket, ${dims.join(', ')}, ${sums}
            FROM ${table} WHERE ${[`bucket >= ${from}`, `bucket < ${to}`, ...campaigns].join(' AND ')}
            GROUP BY ${['campaign_id', 'bucket', ...keep].join(', ')})`;
  }

  /** Rollup-shaped rows from the raw tables, for sub-id reports. */
  private rawSource(s: Side, from: string, to: string, q: StatsQuery, conversionsIn?: string): string | null {
    if (s === 'overrides') return null;
    if (s === 'clicks') {
      return `(SELECT id, campaign_id, ${bucketSql('created_at')} AS bucket, country, device_type, os, browser, sub1, sub2, sub3, sub4, sub5, sub6, sub7, sub8, sub9, sub10,
                1 AS clicks, is_unique::int AS unique_clicks, cost, cost_missing::int AS clicks_without_cost, ${fraudClickFigures('clicks')}
              FROM clicks WHERE created_at >= ${from} AND created_at < ${to} AND NOT paused)`;
    }
    const time = q.attributeBy === 'click' ? 'click_at' : 'created_at';
    return `(SELECT campaign_id, ${bucketSql('click_at')} AS click_bucket, ${bucketSql('created_at')} AS conversion_bucket, country, device_type, os, browser, goal,
              trim(currency) AS currency, sub1, sub2, sub3, sub4, sub5, sub6, sub7, sub8, sub9, sub10,
              (status = 'approved')::int AS approved, (status = 'pending')::int AS pending, (status = 'declined')::int AS declined, (status = 'refunded')::int AS refunded,
              CASE WHEN status IN ('approved', 'pending') THEN coalesce(payout, 0) ELSE 0 END AS payout,
              CASE WHEN status = 'approved' THEN coalesce(payout, 0) ELSE 0 END AS approved_payout,
              CASE WHEN status = 'declined' THEN coalesce(payout, 0) ELSE 0 END AS declined_payout,
              CASE WHEN status = 'refunded' THEN coalesce(payout, 0) ELSE 0 END AS refunded_payout,
              CASE WHEN status IN ('approved', 'pending') THEN coalesce(revenue, 0) ELSE 0 END AS sale_amount,
              cost, cost_native, ${fraudConversionFigures('c')}
            FROM ${
              conversionsIn
                ? // Each range through (campaign_id, click_at), one index descent per campaign: conversions have no index on click_at alone.
                  `${conversionsIn} u CROSS JOIN LATERAL (${ASSESSED} WHERE c.campaign_id = ANY(ARRAY(SELECT id FROM campaigns))
                     AND c.${time} >= greatest(u.start_at, ${from}) AND c.${time} < least(u.end_at, ${to}) AND NOT c.is_test OFFSET 0) c`
                : `(${ASSESSED} WHERE c.${time} >= ${from} AND c.${time} < ${to} AND NOT c.is_test) c`
            })`;
  }

  /**
   * One page of conversions for the CSV export, in the order of their report time (click time
   * or their own), after `cursor`; the same filters as the report.
   */
  async exportConversions(
    q: Pick<StatsQuery, 'from' | 'to' | 'filters' | 'attributeBy' | 'allowedCampaignIds'> & { status?: string[] },
    cursor: { at: Date; id: string } | undefined,
    limit: number,
  ): Promise<ExportedConversion[]> {
    if (q.allowedCampaignIds && q.allowedCampaignIds.length === 0) return [];
    const params: unknown[] = [];
    const p = (v: unknown) => `$${params.push(v)}`;
    const time = q.attributeBy === 'click' ? 'cv.click_at' : 'cv.created_at';
    // Test conversions are in no report, so in no export either.
    const where = [`${time} >= ${p(q.from)}`, `${time} < ${p(q.to)}`, 'NOT cv.is_test'];
    if (q.allowedCampaignIds) where.push(`cv.campaign_id = ANY(${p(q.allowedCampaignIds)}::uuid[])`);
    if (q.status?.length) where.push(`cv.status = ANY(${p(q.status)}::text[])`);
    for (const [dim, values] of Object.entries(q.filters) as [FilterDimension, string[]][]) {
      if (!values?.length) continue;
      if (dim === 'campaign') where.push(`cv.campaign_id = ANY(${p(values)}::uuid[])`);
      else if (ENTITY[dim]) where.push(`${ENTITY[dim].id} = ANY(${p(values)}::uuid[])`);
      else if (dim === 'fraudReason')
        where.push(`EXISTS (SELECT 1 FROM conversion_fraud f CROSS JOIN LATERAL jsonb_array_elements(f.signals) AS s(signal)
                             WHERE f.conversion_id = cv.id AND (s.signal->>'fired')::boolean AND s.signal->>'code' = ANY(${p(values)}::text[]))`);
      else where.push(`${this.dimension(dim, 'conversions').replace(/\br\./g, 'cv.')} = ANY(${p(values)}::text[])`);
    }
    if (cursor) where.push(`(${time}, cv.id) > (${p(cursor.at)}::timestamptz, ${p(cursor.id)}::uuid)`);
    const { rows } = await this.db.query<ExportedConversion>(
      `SELECT ${exportedConversionColumns(time)}
       FROM conversions cv JOIN campaigns cp ON cp.id = cv.campaign_id JOIN offers o ON o.id = cp.offer_id
       WHERE ${where.join(' AND ')}
       ORDER BY ${time}, cv.id LIMIT ${p(limit)}`,
      params,
    );
    return rows;
  }
}

/** A row's summed figures (text, exact) as {@link RowSums}. */
function sumsOf(row: Record<string, string | number | null>): RowSums {
  const out = { ...EMPTY_SUMS };
  for (const [key, { sql, money }] of Object.entries(SUM_SQL) as [keyof RowSums, { sql: string; money: boolean }][]) {
    const v = row[sql];
    out[key] = money ? toMicros(v) : BigInt(v ?? 0);
  }
  return out;
}
