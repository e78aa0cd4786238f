export * from './conversion/conversion-status';
export * from './money/decimal-amount';
export * from './money/currency';
export * from './click/click-id';
export * from './click/macros';
export * from './attribution';
export * from './reports';
export * from './click/click-enrichment';
