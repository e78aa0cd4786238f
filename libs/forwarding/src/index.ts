export * from './retry-policy';
export * from './http-sender';
export * from './delivery-processor';
export * from './delivery-store';
export * from './secret-mask';
export * from './masked-secrets';
export * from './target-delivery';
