// The public surface of reports/ for other features (ESLint refuses imports of its other files from outside).
export { MAX_REPORT_DAYS, parseConversionExportQuery, type ParsedRange } from './report-schemas';
export { ReportsModule } from './reports.module';
export { SubValueCompactor, type SubValueCompactionStatus } from './sub-value-compactor';
export { SubPairCompactor } from './sub-pair-compactor';
