export * from './retry-policy';
export * from './http-sender';
export * from './delivery-processor';
