/** What a stats report can be grouped and filtered by. */
export const TIME_DIMENSIONS = ['day', 'hour', 'week', 'month'] as const;
export const ENTITY_DIMENSIONS = ['campaign', 'offer', 'network', 'trafficSource'] as const;
export const CLICK_DIMENSIONS = ['country', 'deviceType', 'os', 'browser'] as const;
export const SUB_DIMENSIONS = ['sub1', 'sub2', 'sub3', 'sub4', 'sub5', 'sub6', 'sub7', 'sub8', 'sub9', 'sub10'] as const;
/**
 * The fired fraud reason (docs/fraud.md#in-reports): a click or conversion with several reasons counts
 * under each. Read from the per-reason rollups, which know time and campaign only: it combines with
 * time and the entity dimensions, not with country, device, OS, browser, goal or sub ids.
 */
export const FRAUD_DIMENSIONS = ['fraudReason'] as const;
export const REPORT_DIMENSIONS = [...TIME_DIMENSIONS, ...ENTITY_DIMENSIONS, ...CLICK_DIMENSIONS, ...SUB_DIMENSIONS, 'goal', ...FRAUD_DIMENSIONS] as const;

export type ReportDimension = (typeof REPORT_DIMENSIONS)[number];
export type TimeDimension = (typeof TIME_DIMENSIONS)[number];
/** Dimensions that can be filtered on (time is filtered by from/to). */
export type FilterDimension = Exclude<ReportDimension, TimeDimension>;

export const FILTER_DIMENSIONS = REPORT_DIMENSIONS.filter((d): d is FilterDimension => !(TIME_DIMENSIONS as readonly string[]).includes(d));

export function isTimeDimension(d: string): d is TimeDimension {
  return (TIME_DIMENSIONS as readonly string[]).includes(d);
}

/** The dimensions a report by fraud reason may combine it with. */
export const FRAUD_REASON_COMPANIONS: readonly string[] = [...TIME_DIMENSIONS, ...ENTITY_DIMENSIONS, ...FRAUD_DIMENSIONS];

/** The report reads the per-reason rollups (it groups or filters by fraud reason). */
export function isFraudReasonReport(dimensions: readonly string[]): boolean {
  return dimensions.some((d) => (FRAUD_DIMENSIONS as readonly string[]).includes(d));
}

/** Sub ids have too many values to pre-aggregate: reports that need them read the click and conversion tables. */
export function needsRawTables(dimensions: readonly string[]): boolean {
  return dimensions.some((d) => (SUB_DIMENSIONS as readonly string[]).includes(d));
}

export { REPORT_COLUMNS, type ReportColumn } from './report-columns';
