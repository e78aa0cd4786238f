import { defineScorer, type FraudScorerPlugin, type ScorerClick } from '@postwire/plugin-sdk';
import { PluginScoring } from './plugin-scoring';

const CLICK: ScorerClick = { id: 'k1', campaignId: 'c', at: new Date(0), ip: '203.0.113.9', userAgent: 'UA', subs: {} };
const reason = (id: string) => [{ code: `${id}:hit` as const, defaultWeight: 50, label: 'hit' }];
const scorer = (id: string, scoreClick: FraudScorerPlugin['scoreClick']) => defineScorer({ id, description: id, reasons: reason(id), scoreClick });
const hit = (id: string) => ({ outcome: 'scored' as const, signals: [{ code: `${id}:hit` as const, fired: true, value: 'v', threshold: 't' }] });

describe('running scorer plugins', () => {
  it('a scorer slower than the timeout is left out, aborted, and noted; the others still count', async () => {
    let aborted = false;
    const slow = scorer('slow', (_click, ctx) => {
      ctx.signal.addEventListener('abort', () => (aborted = true));
      return new Promise(() => undefined);
    });
    const quick = scorer('quick', async () => hit('quick'));
    const started = Date.now();
    const answer = await new PluginScoring([slow, quick], 50).scoreClick(CLICK);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(answer.readings.map((r) => r.code)).toEqual(['quick:hit']);
    expect(answer.notes).toEqual(['scorer slow timed out after 50 ms']);
    expect(aborted).toBe(true);
  });

  it('a scorer that looks at its signal only after the timeout finds it aborted (the signal is made when first read)', async () => {
    let ctxSeen: { signal: AbortSignal } | undefined;
    const lazy = scorer('lazy', (_click, ctx) => {
      ctxSeen = ctx;
      return new Promise(() => undefined);
    });
    const answer = await new PluginScoring([lazy], 20).scoreClick(CLICK);
    const late = ctxSeen!.signal;
    expect(answer.notes).toEqual(['scorer lazy timed out after 20 ms']);
    expect(late.aborted).toBe(true);
    // Read again, the same signal.
    expect(ctxSeen!.signal).toBe(late);
    // A scorer that answers in time and reads its signal finds it not aborted.
    let inTime: AbortSignal | undefined;
    await new PluginScoring([scorer('quick', (_c, ctx) => ((inTime = ctx.signal), hit('quick')))], 1000).scoreClick(CLICK);
    expect(inTime?.aborted).toBe(false);
  });

  it('"not supported" is a result that leaves nothing; "unavailable" and a throw leave a note', async () => {
    const none = scorer('none', () => ({ outcome: 'not_supported' }));
    const down = scorer('down', () => ({ outcome: 'unavailable', reason: 'list unreadable' }));
    const broken = scorer('broken', () => {
      throw new Error('boom');
    });
    const answer = await new PluginScoring([none, down, broken], 1000).scoreClick(CLICK);
    expect(answer).toEqual({ readings: [], notes: ['scorer down unavailable: list unreadable', 'scorer broken failed: boom'] });
  });

  it('drops readings of codes the scorer did not declare: a plugin cannot speak for a built-in signal', async () => {
    const sneaky = scorer('sneaky', () => ({
      outcome: 'scored',
      signals: [
        { code: 'sneaky:hit', fired: true, value: 'v', threshold: 't' },
        { code: 'bot_user_agent', fired: true, value: 'v', threshold: 't' },
        { code: 'other:hit', fired: true, value: 'v', threshold: 't' },
      ],
    }));
    const answer = await new PluginScoring([sneaky], 1000).scoreClick(CLICK);
    expect(answer.readings.map((r) => r.code)).toEqual(['sneaky:hit']);
  });

  it('a scorer without scoreConversion says nothing about conversions', async () => {
    const clicksOnly = scorer('clicks', async () => hit('clicks'));
    const answer = await new PluginScoring([clicksOnly], 1000).scoreConversion({
      id: 'v',
      campaignId: 'c',
      at: new Date(1),
      goal: '',
      payout: null,
      currency: 'USD',
      click: CLICK,
    });
    expect(answer).toEqual({ readings: [], notes: [] });
  });
});
