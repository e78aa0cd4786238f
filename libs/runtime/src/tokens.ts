/** Injection tokens for the outside dependencies every app shares. */
export const POSTWIRE_CONFIG = Symbol('POSTWIRE_CONFIG');
export const SQL_CLIENT = Symbol('SQL_CLIENT');
/** The SqlClient reports read through (its own pool; see reports-database.ts). */
export const REPORTS_SQL_CLIENT = Symbol('REPORTS_SQL_CLIENT');
export const DELIVERY_QUEUE_NAME = 'deliveries';
/** The {@link VelocityCounter} of the velocity and duplicate fraud signals (Redis), or null when fraud scoring is off. */
export const VELOCITY_COUNTER = Symbol('VELOCITY_COUNTER');
