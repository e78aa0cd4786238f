import { recordedReasonOf, SUB_PARAMS } from '@postwire/core';
import type { SqlExecutor } from '../../client/sql-client';
import { postbackExpiresSql } from '../../partitions/postback-log-partitions';
import { capParams } from '../capped-params';
import { conversionCostSql } from '../conversion-rollups';
import {
  isTestPostback,
  type ConversionWrite,
  type DeliveryWrite,
  type HistoryWrite,
  type LogWrite,
  type PlannedPostback,
  type StoredConversionState,
} from './batch-plan';

/**
 * The statements that write a batch of postbacks, each one statement for the whole batch (`unnest` of
 * one array per column), so a batch costs the same dozen round trips whether it holds one postback or a hundred.
 */

/**
 * Per-key transaction locks on what a conversion is found by: (network, txid) and (click, goal). Two
 * batches naming the same conversion, in this process or another tracker, take turns; the second one's
 * read then sees what the first committed, so neither inserts a twin. Keys are sorted by the caller, so
 * batches take shared keys in one order and cannot deadlock on them.
 */
const LOCK_KEYS = `SELECT count(pg_advisory_xact_lock(hashtextextended(k, 0)))::int AS n FROM unnest($1::text[]) AS k`;

export function conversionLockKeys(postbacks: readonly PlannedPostback[]): string[] {
  const keys = new Set<string>();
  // A test postback names no stored conversion (see isTestPostback): nothing to lock for it.
  for (const p of postbacks.filter((q) => !isTestPostback(q))) {
    if (p.input.txid !== undefined) keys.add(JSON.stringify(['txid', p.ctx.networkId, p.input.txid]));
    if (!p.many) keys.add(JSON.stringify(['click', p.ctx.clickId, p.goal]));
  }
  return [...keys].sort();
}

export async function lockConversionKeys(tx: SqlExecutor, keys: readonly string[]): Promise<void> {
  if (keys.length) await tx.query(LOCK_KEYS, [keys]);
}

/** Every stored conversion a postback of the batch may name, locked, in id order. */
const LOCK_STORED = `
SELECT id, click_id, network_id, goal, single_key, txid, status, payout, revenue, currency, source, pixel_seen, revision
FROM conversions
WHERE id IN (SELECT cv.id FROM unnest($1::uuid[], $2::text[]) AS k(network_id, txid)
             JOIN conversions cv ON cv.network_id = k.network_id AND cv.txid = k.txid AND cv.txid IS NOT NULL
             UNION
             SELECT cv.id FROM unnest($3::text[], $4::text[]) AS k(click_id, single_key)
             JOIN conversions cv ON cv.click_id = k.click_id AND cv.single_key = k.single_key AND cv.single_key IS NOT NULL)
ORDER BY id
FOR UPDATE`;

export async function lockStoredConversions(
  tx: SqlExecutor,
  postbacks: readonly PlannedPostback[],
  normalise: (amount: string | null) => string | null,
): Promise<StoredConversionState[]> {
  const real = postbacks.filter((p) => !isTestPostback(p));
  const withTxid = real.filter((p) => p.input.txid !== undefined);
  const single = real.filter((p) => !p.many);
  const { rows } = await tx.query<Record<string, unknown>>(LOCK_STORED, [
    withTxid.map((p) => p.ctx.networkId),
    withTxid.map((p) => p.input.txid),
    single.map((p) => p.ctx.clickId),
    single.map((p) => p.goal),
  ]);
  return rows.map((r) => ({
    id: r.id as string,
    clickId: r.click_id as string,
    networkId: r.network_id as string,
    goal: r.goal as string,
    singleKey: r.single_key as string | null,
    txid: r.txid as string | null,
    status: r.status as StoredConversionState['status'],
    // numeric(18,6) comes back as "5.000000"; the engine and the forwarded macros speak "5".
    payout: normalise(r.payout as string | null),
    revenue: normalise(r.revenue as string | null),
    currency: (r.currency as string).trim(),
    source: r.source as StoredConversionState['source'],
    pixelSeen: r.pixel_seen as boolean,
    revision: r.revision as number,
  }));
}

/** The cost of each conversion the batch writes, from its new status and payout (`u`) and its campaign (`cp`). */
const COST = conversionCostSql('u.status', 'u.payout');
/** New conversions, with what reports need of their click (which retention may delete later) and their cost. */
const INSERT_CONVERSIONS = `
INSERT INTO conversions (id, click_id, campaign_id, network_id, goal, single_key, txid, status, payout, revenue, currency, source, pixel_seen, revision,
                         click_at, country, device_type, os, browser, ${SUB_PARAMS.join(', ')}, cost, cost_native, is_test)
SELECT u.id, u.click_id, u.campaign_id, u.network_id, u.goal, u.single_key, u.txid, u.status, u.payout, u.revenue, u.currency, u.source, u.pixel_seen, u.revision,
       k.created_at, k.country, k.device_type, k.os, k.browser, ${SUB_PARAMS.map((s) => 'k.' + s).join(', ')}, ${COST.cost}, ${COST.costNative}, u.is_test
FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::numeric[], $10::numeric[], $11::text[],
            $12::text[], $13::boolean[], $14::int[], $15::timestamptz[], $16::boolean[])
     AS u(id, click_id, campaign_id, network_id, goal, single_key, txid, status, payout, revenue, currency, source, pixel_seen, revision, click_at, is_test)
-- The click as its context read it (id and stored time, to the millisecond JavaScript keeps): one probe in
-- its partition. $17 and $18 bound the batch's click times, so PostgreSQL prunes the rest before it starts.
JOIN LATERAL (SELECT * FROM clicks WHERE id = u.click_id
                AND created_at >= u.click_at - interval '1 millisecond' AND created_at <= u.click_at + interval '1 millisecond'
                AND created_at BETWEEN $17::timestamptz - interval '1 millisecond' AND $18::timestamptz + interval '1 millisecond' LIMIT 1) k ON true
JOIN campaigns cp ON cp.id = u.campaign_id
ON CONFLICT DO NOTHING
RETURNING id`;

/** Inserts the batch's new conversions; resolves to how many were inserted (fewer means a twin exists: the caller starts over). */
export async function insertConversions(tx: SqlExecutor, writes: readonly ConversionWrite[]): Promise<number> {
  if (writes.length === 0) return 0;
  const col = <T>(f: (w: ConversionWrite) => T) => writes.map(f);
  const { rows } = await tx.query(INSERT_CONVERSIONS, [
    col((w) => w.id),
    col((w) => w.ctx.clickId),
    col((w) => w.ctx.campaignId),
    col((w) => w.ctx.networkId),
    col((w) => w.next.goal),
    col((w) => w.singleKey),
    // A test conversion keeps no txid: a real one of the same network and txid must stay possible (the log line keeps it).
    col((w) => (w.test ? null : w.next.txid)),
    col((w) => w.next.status),
    col((w) => w.next.payout),
    col((w) => w.next.revenue),
    col((w) => w.next.currency),
    col((w) => w.next.source),
    col((w) => w.next.pixelSeen),
    col((w) => w.revision),
    col((w) => w.ctx.clickAt),
    col((w) => w.test),
    new Date(Math.min(...writes.map((w) => w.ctx.clickAt.getTime()))),
    new Date(Math.max(...writes.map((w) => w.ctx.clickAt.getTime()))),
  ]);
  return rows.length;
}

const UPDATE_CONVERSIONS = `
UPDATE conversions cv
SET status = u.status, payout = u.payout, revenue = u.revenue, currency = u.currency, txid = u.txid, source = u.source, pixel_seen = u.pixel_seen,
    revision = u.revision, updated_at = now(), cost = ${COST.cost}, cost_native = ${COST.costNative}
FROM unnest($1::uuid[], $2::text[], $3::numeric[], $4::numeric[], $5::text[], $6::text[], $7::text[], $8::boolean[], $9::int[])
     AS u(id, status, payout, revenue, currency, txid, source, pixel_seen, revision),
     campaigns cp
WHERE cv.id = u.id AND cp.id = cv.campaign_id`;

export async function updateConversions(tx: SqlExecutor, writes: readonly ConversionWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const col = <T>(f: (w: ConversionWrite) => T) => writes.map(f);
  await tx.query(UPDATE_CONVERSIONS, [
    col((w) => w.id),
    col((w) => w.next.status),
    col((w) => w.next.payout),
    col((w) => w.next.revenue),
    col((w) => w.next.currency),
    col((w) => w.next.txid),
    col((w) => w.next.source),
    col((w) => w.next.pixelSeen),
    col((w) => w.revision),
  ]);
}

/** `$1`… renumbered from `$base + 1`, so statements can share one parameter list. */
const shifted = (sql: string, base: number) => sql.replace(/\$(\d+)/g, (_, n: string) => `$${Number(n) + base}`);

const HISTORY_ROWS = `
INSERT INTO conversion_status_history (conversion_id, from_status, to_status, payout_before, payout_after, channel, postback_id, changed_at)
SELECT * FROM unnest($1::uuid[], $2::text[], $3::text[], $4::numeric[], $5::numeric[], $6::text[], $7::uuid[], $8::timestamptz[])`;

const DELIVERY_ROWS = `
INSERT INTO deliveries (id, conversion_id, traffic_source_id, revision, event, method, url, body, headers, macro_values, is_test, retry_schedule_ms, personal_hashes)
SELECT id, conversion_id, traffic_source_id, revision, event, method, url, body, headers::jsonb, macro_values::jsonb, is_test,
       CASE WHEN retry_schedule = '' THEN NULL ELSE string_to_array(retry_schedule, ',')::int[] END, personal_hashes::jsonb
FROM unnest($1::uuid[], $2::uuid[], $3::uuid[], $4::int[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::boolean[], $12::text[], $13::text[])
     AS u(id, conversion_id, traffic_source_id, revision, event, method, url, body, headers, macro_values, is_test, retry_schedule, personal_hashes)`;

/**
 * Log lines that repeat what the log already shows of a click (`duplicate`, `ignored`): a sender
 * may send them without end (a pixel reloaded, a network retrying), and each one changes nothing.
 * The first {@link REPEATED_LOG_ROWS_KEPT} of a click are stored as rows; each one after that only
 * adds one to `repeats` on the click's latest such row.
 */
export const REPEATED_LOG_ROWS_KEPT = 10;
const REPEATING = `('duplicate', 'ignored')`;
/** Rows that book nothing or repeat: the ones left out once the day's cap is reached. Accepted and updated rows are a conversion's history and always kept. */
const CAPPED = `('duplicate', 'ignored', 'unattributed', 'rejected', 'refused')`;
/**
 * Refused requests from one address kept as rows per minute; each one beyond is only counted, per address, minute
 * and reason, in `postback_refusals_counted` (LOG_CTES `log_flooded`). A flood of forgeries from one address thus
 * costs at most this many rows a minute, whatever its rate.
 */
export const REFUSALS_KEPT_PER_IP_PER_MIN = 20;
const TODAY = `(now() AT TIME ZONE 'UTC')::date`;
/**
 * Which side of the partitioned log a line goes to (postback-log-partitions.ts). Refused lines always
 * expire and repeating ones (`duplicate`, `ignored`) never do, so the reads below that look for them name
 * their side (`p.expires`, `NOT p.expires`) and PostgreSQL skips the other one.
 */
const EXPIRES = postbackExpiresSql('outcome', 'conversion_id');

/**
 * The log lines of a batch as common table expressions, so they join the other inserts of one
 * statement. `log_in` is the batch. A repeating line of a click that has its quota of rows already
 * is counted on that click's latest such row instead of inserted (`log_counted`). Once the day's
 * stored bytes reach `$12` (null: no cap), lines that book nothing are left out and counted for the
 * day (`log_dropped`). `postback_log_days` adds up what each day stored and dropped.
 */
const LOG_CTES = `
log_in AS (
  SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::text[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::uuid[],
                       $13::boolean[], $14::text[], $15::int[], $16::text[], $17::text[])
    AS u(id, received_at, channel, network_id, click_id, params, canonical, ip, outcome, reason, conversion_id, is_test, reason_code, http_status, method, path)),
log_flooded AS (
  SELECT r.id, r.minute, r.ip, r.reason_code FROM (
    SELECT l.id, l.ip, l.reason_code, date_trunc('minute', l.received_at) AS minute,
           row_number() OVER (PARTITION BY l.ip, date_trunc('minute', l.received_at) ORDER BY l.received_at, l.id) AS n
    FROM log_in l WHERE l.outcome = 'refused' AND l.ip IS NOT NULL) AS r
  WHERE r.n + (SELECT count(*) FROM (SELECT 1 FROM postbacks p WHERE p.expires AND p.outcome = 'refused' AND p.ip = r.ip
                 AND p.received_at >= r.minute AND p.received_at < r.minute + interval '1 minute' LIMIT ${REFUSALS_KEPT_PER_IP_PER_MIN}) AS kept)
        > ${REFUSALS_KEPT_PER_IP_PER_MIN}),
log_refusals_counted AS (
  INSERT INTO postback_refusals_counted AS c (minute, ip, reason_code, count)
  SELECT minute, ip, reason_code, count(*)::int FROM log_flooded GROUP BY minute, ip, reason_code
  ON CONFLICT (minute, ip, reason_code) DO UPDATE SET count = c.count + excluded.count
  RETURNING 1),
log_counted AS (
  SELECT l.id, l.click_id FROM log_in l
  WHERE l.outcome IN ${REPEATING} AND l.click_id IS NOT NULL
    AND (SELECT count(*) FROM (SELECT 1 FROM postbacks p WHERE NOT p.expires AND p.click_id = l.click_id AND p.outcome IN ${REPEATING} LIMIT ${REPEATED_LOG_ROWS_KEPT}) AS kept) >= ${REPEATED_LOG_ROWS_KEPT}),
log_dropped AS (
  SELECT l.id FROM log_in l
  WHERE l.outcome IN ${CAPPED} AND l.id NOT IN (SELECT id FROM log_counted) AND l.id NOT IN (SELECT id FROM log_flooded)
    AND $12::bigint IS NOT NULL AND coalesce((SELECT bytes FROM postback_log_days WHERE day = ${TODAY}), 0) >= $12::bigint),
log_rows AS (
  INSERT INTO postbacks (id, received_at, channel, network_id, click_id, params, canonical, ip, outcome, reason, conversion_id, is_test,
                         reason_code, http_status, method, path, expires)
  SELECT id, received_at, channel, network_id, click_id, params::jsonb, canonical::jsonb, ip, outcome, reason, conversion_id, is_test,
         reason_code, http_status, method, path, ${EXPIRES}
  FROM log_in WHERE id NOT IN (SELECT id FROM log_counted) AND id NOT IN (SELECT id FROM log_dropped) AND id NOT IN (SELECT id FROM log_flooded)
  RETURNING octet_length(params::text) + coalesce(octet_length(canonical::text), 0) + coalesce(octet_length(ip), 0) + coalesce(octet_length(path), 0) + 100 AS bytes),
log_repeats AS (
  UPDATE postbacks p SET repeats = p.repeats + c.n
  FROM (SELECT click_id, count(*)::int AS n FROM log_counted GROUP BY click_id) AS c
  WHERE NOT p.expires AND p.id = (SELECT q.id FROM postbacks q WHERE NOT q.expires AND q.click_id = c.click_id AND q.outcome IN ${REPEATING} ORDER BY q.received_at DESC, q.id DESC LIMIT 1)
  RETURNING 1),
log_day AS (
  INSERT INTO postback_log_days AS d (day, bytes, stored, dropped)
  SELECT ${TODAY}, coalesce((SELECT sum(bytes) FROM log_rows), 0), (SELECT count(*) FROM log_rows), (SELECT count(*) FROM log_dropped)
  ON CONFLICT (day) DO UPDATE SET bytes = d.bytes + excluded.bytes, stored = d.stored + excluded.stored, dropped = d.dropped + excluded.dropped
  RETURNING 1)`;

const LOG_SUMMARY = `SELECT (SELECT count(*) FROM log_rows) AS stored, (SELECT count(*) FROM log_repeats) AS counted, (SELECT count(*) FROM log_day) AS days,
  (SELECT count(*) FROM log_refusals_counted) AS flooded`;

const LOG_ROWS = `WITH ${LOG_CTES} ${LOG_SUMMARY}`;

/** History, deliveries and log lines in one statement: inserts that need nothing of each other, so one round trip. */
const FACTS = `WITH history AS (${HISTORY_ROWS}), delivered AS (${shifted(DELIVERY_ROWS, 8)}), ${shifted(LOG_CTES, 21)} ${LOG_SUMMARY}`;

/** Counts of refusals past the flood bound that a tracker kept in memory (RefusalFloodGate), added to the day's counters. */
const ADD_REFUSAL_COUNTS = `
INSERT INTO postback_refusals_counted AS c (minute, ip, reason_code, count)
SELECT * FROM unnest($1::timestamptz[], $2::text[], $3::text[], $4::int[])
ON CONFLICT (minute, ip, reason_code) DO UPDATE SET count = c.count + excluded.count`;

export async function addRefusalCounts(db: SqlExecutor, counts: ReadonlyArray<{ minute: Date; ip: string; reason: string; count: number }>): Promise<void> {
  if (counts.length === 0) return;
  await db.query(ADD_REFUSAL_COUNTS, [counts.map((c) => c.minute), counts.map((c) => c.ip), counts.map((c) => c.reason), counts.map((c) => c.count)]);
}

/** Writes what a batch decided besides the conversions themselves: status history, deliveries, and one log line per postback. */
export async function insertFacts(
  tx: SqlExecutor,
  history: readonly HistoryWrite[],
  deliveries: readonly DeliveryWrite[],
  log: readonly LogWrite[],
  logCap: LogCap = {},
): Promise<void> {
  await tx.query(FACTS, [...historyParams(history), ...deliveryParams(deliveries), ...logParams(log, logCap)]);
}

/** The postback log lines alone (postbacks that book nothing). */
export async function insertLog(db: SqlExecutor, rows: readonly LogWrite[], logCap: LogCap = {}): Promise<void> {
  if (rows.length) await db.query(LOG_ROWS, logParams(rows, logCap));
}

/** How much the postback log may take per UTC day; without `bytesPerDay` it is not capped. */
export interface LogCap {
  bytesPerDay?: number;
}

function historyParams(rows: readonly HistoryWrite[]): unknown[] {
  return [
    rows.map((h) => h.conversionId),
    rows.map((h) => h.change.from),
    rows.map((h) => h.change.to),
    rows.map((h) => h.change.payoutBefore),
    rows.map((h) => h.change.payoutAfter),
    rows.map((h) => h.change.channel),
    rows.map((h) => h.postbackId),
    rows.map((h) => h.changedAt),
  ];
}

function deliveryParams(rows: readonly DeliveryWrite[]): unknown[] {
  return [
    rows.map((d) => d.id),
    rows.map((d) => d.conversionId),
    rows.map((d) => d.trafficSourceId),
    rows.map((d) => d.revision),
    rows.map((d) => d.event),
    rows.map((d) => d.method),
    rows.map((d) => d.url),
    rows.map((d) => d.body),
    rows.map((d) => JSON.stringify(d.headers)),
    rows.map((d) => JSON.stringify(d.values)),
    rows.map((d) => d.test),
    // Arrays of arrays of different lengths cannot be one SQL parameter: each schedule travels as "0,5000,…".
    rows.map((d) => (d.retryScheduleMs ? d.retryScheduleMs.join(',') : '')),
    rows.map((d) => (d.personalHashes ? JSON.stringify(d.personalHashes) : null)),
  ];
}

function logParams(rows: readonly LogWrite[], logCap: LogCap): unknown[] {
  return [
    rows.map((l) => l.id),
    rows.map((l) => l.input.receivedAt),
    rows.map((l) => l.input.channel),
    rows.map((l) => l.networkId),
    rows.map((l) => l.input.clickId),
    rows.map((l) => JSON.stringify(booksNothing(l.outcome) || repeats(l.outcome) ? capParams(l.input.params) : l.input.params)),
    rows.map((l) => JSON.stringify(canonicalOf(l.input))),
    rows.map((l) => l.input.ip ?? null),
    rows.map((l) => l.outcome),
    rows.map((l) => l.reason),
    rows.map((l) => l.conversionId),
    logCap.bytesPerDay ?? null,
    rows.map((l) => l.input.test !== undefined),
    rows.map((l) => l.refusal?.reasonCode ?? (l.outcome === 'refused' ? 'bad_request' : recordedReasonOf(l.outcome, l.reason, l.input.test !== undefined))),
    rows.map((l) => l.refusal?.httpStatus ?? null),
    rows.map((l) => l.refusal?.method ?? null),
    rows.map((l) => l.refusal?.path ?? null),
  ];
}

function canonicalOf(input: LogWrite['input']): Record<string, unknown> {
  return {
    goal: input.goal,
    txid: input.txid,
    status: input.status,
    payout: input.payout,
    revenue: input.revenue,
    currency: input.currency,
    ...(input.statusByCurrent ? { statusByCurrent: input.statusByCurrent } : {}),
    // The buyer's country, so a reattribution scores the conversion as its first postback would have.
    ...(input.country ? { country: input.country } : {}),
  };
}

/** Rows that change nothing of a conversion already booked; their raw parameters are capped too, and beyond a few per click they are counted (LOG_CTES). */
function repeats(outcome: LogWrite['outcome']): boolean {
  return outcome === 'duplicate' || outcome === 'ignored';
}

/** Rows anyone can cause with a made-up click id; their raw parameters are capped (see capParams) and they expire (PostbackLogRetention). */
function booksNothing(outcome: LogWrite['outcome']): boolean {
  return outcome === 'unattributed' || outcome === 'rejected' || outcome === 'refused';
}
