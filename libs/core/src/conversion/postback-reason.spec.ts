import { POSTBACK_REASONS, recordedReasonOf, REFUSAL_REASONS, refusalReasonOf } from './postback-reason';

describe('refusalReasonOf: the reason code of what a refused sender was answered', () => {
  it.each([
    ['ip_not_allowed', 403, undefined, 'ip_refused'],
    ['invalid_api_key', 401, undefined, 'bad_key'],
    ['bad_signature', 401, undefined, 'bad_signature'],
    ['stale_timestamp', 401, undefined, 'stale_timestamp'],
    ['replayed', 401, undefined, 'replayed'],
    ['rate_limited', 429, undefined, 'rate_limited'],
    ['bad_parameter', 400, 'amount', 'bad_parameter'],
    ['invalid_amount', 400, 'amount', 'bad_parameter'],
    ['body_too_large', 413, undefined, 'bad_request'],
    ['unknown_network', 404, undefined, 'unknown_network'],
    ['database_unavailable', 503, undefined, 'unavailable'],
  ])('%s (%i, param %p) → %s', (code, status, param, reason) => {
    expect(refusalReasonOf(code, status, param)).toBe(reason);
  });

  it('only ever answers a refusal reason, which is a postback reason', () => {
    expect(REFUSAL_REASONS.every((r) => (POSTBACK_REASONS as readonly string[]).includes(r))).toBe(true);
    expect(REFUSAL_REASONS).toContain(refusalReasonOf('anything', 418));
  });
});

describe('recordedReasonOf: the reason code of a row the attribution engine wrote', () => {
  it.each([
    ['accepted', null, false, 'accepted'],
    ['accepted', null, true, 'test'],
    ['ignored', 'transition_not_allowed:approved->pending', false, 'ignored'],
    ['unattributed', 'unknown_click', false, 'unknown_click'],
    ['unattributed', 'no_click_id', false, 'no_click_id'],
    ['rejected', 'outside_window', false, 'outside_window'],
    ['rejected', 'txid_conflict', false, 'txid_conflict'],
  ] as const)('%s / %p (test %p) → %s', (outcome, reason, test, code) => {
    expect(recordedReasonOf(outcome, reason, test)).toBe(code);
  });
});
