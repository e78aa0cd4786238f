export * from './time-buckets';
export * from './report-math';
export * from './dimensions';
export * from './assemble-report';
export * from './csv-field';
