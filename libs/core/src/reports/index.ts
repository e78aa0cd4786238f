export * from './time-buckets';
export * from './report-math';
export * from './dimensions';
export * from './assemble-report';
export * from './csv-field';
export {
  FRAUD_CLICK_SUMS,
  FRAUD_CONVERSION_SUMS,
  REPORT_COLUMN_DEFS,
  SUM_SQL,
  figureChange,
  reportChanges,
  type ColumnKind,
  type FigureChange,
  type ReportColumnDef,
} from './report-columns';
export * from './report-compare';
export * from './report-cursor';
export * from './week-cover';
