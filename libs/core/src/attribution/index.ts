export * from './types';
export * from './transitions';
export * from './window';
export * from './decide-conversion';
export * from './status-rules';
export * from './forwarding';
export * from './delivery-plan';
export * from './precheck';
