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
/** The figures of the whole filtered set: counts, exact decimal amounts, and ratios (null when undefined). */
const totals = view({
  clicks: count,
  uniqueClicks: count,
  clicksWithoutCost: count,
  conversions: count,
  approved: count,
  pending: count,
  declined: count,
  refunded: count,
  unconvertedConversions: count,
  payout: decimal,
  approvedPayout: decimal,
  saleAmount: decimal,
  cost: decimal,
  profit: decimal,
  roi: decimal.nullable(),
  cr: decimal.nullable(),
  epc: decimal.nullable(),
  cpa: decimal.nullable(),
});

export const statsReportView = view({
  currency: z.string(),
  from: z.string().datetime(),
  to: z.string().datetime(),
  tz: z.string(),
  groupBy: z.array(z.string()),
  attributeBy: z.enum(['click', 'conversion']),
  /** A row: its group keys (with `<dimension>Name` for entity ids) and the same figures as `totals`. */
  rows: z.array(z.record(z.union([z.string(), z.number(), z.null()]))),
  totals,
  totalRows: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
  /** Where the report was read: the read replica (REPORTS_DATABASE_URL), or the primary (none set, or the replica down: then a warning). */
  database: view({
    source: z.enum(['replica', 'primary']),
    warning: z.string().optional(),
    /** How far the replica is behind the primary, in seconds, when one is set and answers. */
    replicaLagSeconds: z.number().optional(),
  }),
});
