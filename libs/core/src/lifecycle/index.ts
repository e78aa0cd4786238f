export * from './lifecycle-status';
export * from './audit-trail';
