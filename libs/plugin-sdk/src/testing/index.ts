// Test-only entry point: it imports jest and fast-check, so nothing in production may import it.
export * from './conformance';
export * from './checks';
export * from './fixtures';
export * from './thrown-by';
export * from './postbacks-of';
export * from './target-conformance';
export * from './scorer-conformance';
