export * from './conversion-rescore';
export * from './rescore-limits';
export * from './rescore-tally';
