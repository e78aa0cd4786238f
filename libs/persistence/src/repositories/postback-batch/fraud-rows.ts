import type { SqlExecutor } from '../../client/sql-client';
import type { FraudWrite, StoredFraud } from './fraud-screen';

const STORED = `
SELECT conversion_id, score, hold_state IN ('held', 'rejected') OR verdict = 'dont_forward' AS blocked, hold_state = 'rejected' AS rejected,
       ARRAY(SELECT s->>'code' FROM jsonb_array_elements(signals) s WHERE (s->>'fired')::boolean) AS reasons
FROM conversion_fraud WHERE conversion_id = ANY($1::uuid[])`;

/** The stored assessments of conversions a batch changes. */
export async function loadStoredFraud(tx: SqlExecutor, conversionIds: readonly string[]): Promise<Map<string, StoredFraud>> {
  const found = new Map<string, StoredFraud>();
  if (conversionIds.length === 0) return found;
  const { rows } = await tx.query<{ conversion_id: string; score: number; blocked: boolean; rejected: boolean | null; reasons: string[] }>(STORED, [
    conversionIds,
  ]);
  for (const r of rows) found.set(r.conversion_id, { score: r.score, blocked: r.blocked, rejected: r.rejected === true, reasons: r.reasons });
  return found;
}

const INSERT = `
INSERT INTO conversion_fraud (conversion_id, campaign_id, score, verdict, signals, notes, hold_state, held_until, hold_expiry)
SELECT id, campaign_id, score, verdict, signals::jsonb, notes::jsonb, hold_state, held_until, hold_expiry
FROM unnest($1::uuid[], $2::uuid[], $3::smallint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::timestamptz[], $9::text[])
     AS u(id, campaign_id, score, verdict, signals, notes, hold_state, held_until, hold_expiry)`;

/** Stores the assessments of the conversions a batch created, in its transaction. */
export async function insertFraudRows(tx: SqlExecutor, writes: readonly FraudWrite[]): Promise<void> {
  if (writes.length === 0) return;
  const col = <T>(f: (w: FraudWrite) => T) => writes.map(f);
  await tx.query(INSERT, [
    col((w) => w.conversionId),
    col((w) => w.campaignId),
    col((w) => w.assessment.score),
    col((w) => w.assessment.verdict),
    col((w) => JSON.stringify(w.assessment.signals)),
    col((w) => (w.assessment.notes?.length ? JSON.stringify(w.assessment.notes) : null)),
    col((w) => w.holdState),
    col((w) => w.heldUntil),
    col((w) => w.holdExpiry),
  ]);
}
