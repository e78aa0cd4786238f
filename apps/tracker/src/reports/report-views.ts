import { REPORT_COLUMN_DEFS, REPORT_COLUMNS, type ReportColumn, type ReportColumnDef } from '@postwire/core';
import { z } from 'zod';
import { decimal, view } from '../schemas/views';

/** Pixel-only, S2S-only and both, per campaign and UTC day. */
export const reconciliationView = view({
  campaignId: z.string(),
  day: z.string(),
  pixelOnly: z.number().int(),
  s2sOnly: z.number().int(),
  both: z.number().int(),
  total: z.number().int(),
});

const count = z.number().int();
const FIGURE = { count, money: decimal, ratio: decimal };
type Def<K extends ReportColumn> = (typeof REPORT_COLUMN_DEFS)[K];
type FigureShape = {
  [K in ReportColumn]: Def<K>['nullable'] extends true ? z.ZodNullable<(typeof FIGURE)[Def<K>['kind']]> : (typeof FIGURE)[Def<K>['kind']];
};
/** The figures of one row, or of the whole filtered set: one field per registry column (counts, exact decimal amounts and ratios, null without a denominator). */
const totals = view(
  Object.fromEntries(
    REPORT_COLUMNS.map((c) => {
      const def: ReportColumnDef = REPORT_COLUMN_DEFS[c];
      return [c, def.nullable ? FIGURE[def.kind].nullable() : FIGURE[def.kind]];
    }),
  ) as unknown as FigureShape,
);

const change = view({
  /** The exact difference from the previous figure; null when either figure is null. */
  delta: decimal.nullable(),
  /** The difference relative to the previous figure (0.25 = up 25 %); null when that was 0 or null. */
  change: decimal.nullable(),
});
const changes = view(Object.fromEntries(REPORT_COLUMNS.map((c) => [c, change])) as Record<ReportColumn, typeof change>);

/** `compare=previous`: the period of the same length just before, and how the figures moved since. */
const comparison = view({
  from: z.string().datetime(),
  to: z.string().datetime(),
  /** The previous period's totals, and each column's change from them to this period's totals. */
  totals,
  changes,
  /**
   * The figures of each row of this page in the previous period, in the order of `rows` (a time
   * period is matched with the one at the same place: the first day with the first day). Null when
   * the previous period has more groups than one page reads (10 000) and this one was not among them.
   */
  rows: z.array(totals.nullable()),
});

export const statsReportView = view({
  currency: z.string(),
  from: z.string().datetime(),
  to: z.string().datetime(),
  tz: z.string(),
  groupBy: z.array(z.string()),
  /** Column labels of the grouped `subN` dimensions from the traffic sources' tokens (`{"sub1": "zone"}`), where unambiguous. */
  labels: z.record(z.string()),
  attributeBy: z.enum(['click', 'conversion']),
  /** A row: its group keys (with `<dimension>Name` for entity ids) and the same figures as `totals`. */
  rows: z.array(z.record(z.union([z.string(), z.number(), z.null()]))),
  totals,
  /** Groups in the whole report, shown or not. */
  totalRows: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
  /** Where the report was read: the read replica (REPORTS_DATABASE_URL), or the primary (none set, or the replica down: then a warning). */
  database: view({
    source: z.enum(['replica', 'primary']),
    warning: z.string().optional(),
    /** How far the replica is behind the primary, in seconds, when one is set and answers. */
    replicaLagSeconds: z.number().optional(),
  }),
  /** Only with `compare=previous`. */
  compare: comparison.optional(),
  /**
   * Present when the figures are not exact for every row: a `groupBy=sub1,sub2` report over all
   * campaigns read from the pair grain, which keeps per UTC day and ISO week only its top pairs by
   * clicks (REPORT_PAIR_HEAD, 5,000 by default) exact and sums the rest. `exact=true` asks for the exact answer.
   */
  approximation: view({
    kind: z.enum(['head_pairs']),
    /** The fewest pairs a day or week of the range kept exact when it cut others (null: none of them cut any). */
    headPairs: z.number().int().nullable(),
    /**
     * Per row of `rows`, in order: `exact`; `lowerBound` (the pair was cut in some day or week of the
     * range, so its click figures may be low; its conversions are exact); `other` (the "(other)" row,
     * its keys null: everything not listed as its own pair). The totals are exact.
     */
    rows: z.array(z.enum(['exact', 'lowerBound', 'other'])),
  }).optional(),
});
