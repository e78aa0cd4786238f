import type { FraudAssessment, FraudVerdict } from '../fraud-signal';
import { conversionRescoreAction, type StoredConversionFraud } from './conversion-rescore';
import { RescoreTally } from './rescore-tally';

const assessment = (verdict: FraudVerdict, score = 80, reasons = ['bot_user_agent']): FraudAssessment => ({
  score,
  verdict,
  signals: reasons.map((code) => ({ code: code as 'bot_user_agent', fired: true, value: '', threshold: '', weight: score })),
});
const stored = (over: Partial<StoredConversionFraud> = {}): StoredConversionFraud => ({
  score: 80,
  verdict: 'flag',
  reasons: ['bot_user_agent'],
  holdState: null,
  forwarded: true,
  ...over,
});

describe('what re-scoring does to a conversion', () => {
  it('leaves an unchanged assessment alone', () => {
    expect(conversionRescoreAction(stored(), assessment('flag'), false)).toBe('unchanged');
    expect(conversionRescoreAction(stored(), assessment('flag', 80, ['headless_browser']), false)).toBe('rescored');
  });

  it('never overrides a decided hold, whatever the new verdict', () => {
    for (const holdState of ['released', 'rejected'] as const)
      for (const verdict of ['allow', 'hold', 'reject'] as const)
        expect(conversionRescoreAction(stored({ holdState }), assessment(verdict), true)).toBe('kept_decided');
  });

  it('holds or rejects only what was never forwarded, unless status updates are chosen for a rejection', () => {
    expect(conversionRescoreAction(stored({ forwarded: false, verdict: 'dont_forward' }), assessment('hold'), false)).toBe('hold');
    expect(conversionRescoreAction(stored({ forwarded: false, verdict: 'allow', score: 0, reasons: [] }), assessment('reject'), false)).toBe('reject');
    expect(conversionRescoreAction(stored(), assessment('hold'), true)).toBe('kept_forwarded');
    expect(conversionRescoreAction(stored(), assessment('reject'), false)).toBe('kept_forwarded');
    expect(conversionRescoreAction(stored(), assessment('reject'), true)).toBe('decline_forwarded');
    // A run without updates stored the verdict already: a later run with them still declines it.
    expect(conversionRescoreAction(stored({ verdict: 'reject' }), assessment('reject'), true)).toBe('decline_forwarded');
  });

  it('releases a hold the new policy no longer makes; a "don\'t forward" verdict keeps it held', () => {
    const held = stored({ holdState: 'held', verdict: 'hold', forwarded: false });
    expect(conversionRescoreAction(held, assessment('flag'), false)).toBe('release');
    expect(conversionRescoreAction(held, assessment('allow', 0, []), false)).toBe('release');
    expect(conversionRescoreAction(held, assessment('dont_forward'), false)).toBe('rescored');
    expect(conversionRescoreAction(held, assessment('reject'), false)).toBe('reject');
  });
});

describe('the tally of a run', () => {
  const change = (payout: string | null, reportPayout: string | null, currency = 'USD') => ({
    conversionId: 'c',
    campaignId: 'k',
    payout,
    currency,
    reportPayout,
    before: { score: 0, verdict: 'allow' as const, reasons: [] },
    after: { score: 80, verdict: 'hold' as const, reasons: ['bot_user_agent'] },
  });

  it('adds payout exactly, in the report currency, and keeps amounts without a rate apart', () => {
    const tally = new RescoreTally('USD', 1);
    tally.conversion('hold', change('0.1', '0.1'));
    tally.conversion('hold', change('0.2', '0.2'));
    tally.conversion('hold', change('10', null, 'EUR'));
    tally.conversion('unchanged', change('5', '5'));
    const result = tally.result();
    expect(result.payout).toMatchObject({ newlyHeld: '0.3', unconverted: [{ currency: 'EUR', amount: '10' }] });
    expect(result.conversions).toMatchObject({ scanned: 4, changed: 3, newlyHeld: 3, newlyFlagged: 3 });
    expect(result.sample).toHaveLength(1);
  });
});
