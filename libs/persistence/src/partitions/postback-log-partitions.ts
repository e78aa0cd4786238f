import type { TimePartitionedTable } from './partitioned-tables';

/**
 * The postback log (table `postbacks`) is partitioned by LIST on `expires`, then the expiring side by
 * RANGE of `received_at`, one partition per UTC day (docs/storage.md#the-postback-log):
 *
 *   postbacks                       LIST (expires)
 *   ├── postbacks_kept              IN (false): a conversion's history, never dropped
 *   └── postbacks_expiring          IN (true), RANGE (received_at)
 *       ├── postbacks_expiring_p20261207 …  one per UTC day, dropped whole by retention
 *       └── postbacks_expiring_default      rows no day covers (far back, far ahead)
 *
 * A log converted from a plain one (`npm run db:partition`) has one level more, so that nothing is copied:
 *
 *   postbacks                       RANGE (received_at)
 *   ├── postbacks_legacy            MINVALUE to the cutover: the old table, both sides mixed, expired rows deleted in batches
 *   └── postbacks_current           the cutover to MAXVALUE, LIST (expires): kept and expiring as above
 *
 * A row's side is decided by one rule (migration 029's CHECK `postbacks_expires_rule`): it expires when
 * it booked nothing (EXPIRING_OUTCOMES) and names no conversion. An `unattributed` row the reattributor
 * ties to a conversion later stops expiring: its UPDATE moves it to the kept side.
 */
export const POSTBACK_LOG = 'postbacks';
export const POSTBACK_LOG_KEPT = 'postbacks_kept';
/** A converted log's old table: every row from before the cutover. */
export const POSTBACK_LOG_LEGACY = 'postbacks_legacy';
/** A converted log's rows from the cutover on, split into the kept and the expiring side. */
export const POSTBACK_LOG_CURRENT = 'postbacks_current';

/** The expiring side: a time-partitioned table of its own, kept by the same maintainer and retention as clicks. */
export const POSTBACK_LOG_EXPIRING: TimePartitionedTable = { table: 'postbacks_expiring', column: 'received_at', key: ['id', 'expires'] };

/** The outcomes of rows that book nothing: anyone can cause them with a made-up click id, so they expire. */
export const EXPIRING_OUTCOMES = ['unattributed', 'rejected', 'refused'] as const;

/**
 * Whether a row expires, in SQL, from its outcome and its conversion (the expressions given). The same
 * rule as the CHECK of migration 029, which refuses a row whose `expires` says otherwise.
 */
export const postbackExpiresSql = (outcome: string, conversionId: string): string =>
  `(${outcome} IN (${EXPIRING_OUTCOMES.map((o) => `'${o}'`).join(', ')}) AND ${conversionId} IS NULL)`;
