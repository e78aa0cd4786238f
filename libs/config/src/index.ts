export * from './postwire-config';
