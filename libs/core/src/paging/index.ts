export * from './page-limits';
export * from './paged-list';
export * from './keyset';
