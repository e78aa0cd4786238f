import type { SignalReading } from '@postwire/core';
import type { FraudScorerPlugin, ScorerClick, ScorerConversion, ScorerResult } from '@postwire/plugin-sdk';

/** What the scorer plugins answered for one event: their readings, and a note for each that did not answer. */
export interface PluginReadings {
  readings: SignalReading[];
  /** `scorer ip-reputation timed out after 2000 ms`, `scorer x unavailable: list unreadable`. */
  notes: string[];
}

/**
 * Runs the installed scorer plugins on a click or a conversion, concurrently, each with a timeout.
 * A scorer that times out, throws or answers `unavailable` leaves its signals out and leaves a note;
 * `not_supported` leaves nothing. Readings of codes a scorer did not declare are dropped (a plugin
 * cannot speak for a built-in signal or another plugin).
 */
export class PluginScoring {
  private readonly declared = new Map<string, ReadonlySet<string>>();

  constructor(
    private readonly scorers: readonly FraudScorerPlugin[],
    private readonly timeoutMs: number,
  ) {
    for (const scorer of scorers) this.declared.set(scorer.id, new Set(scorer.reasons.map((r) => r.code)));
  }

  get empty(): boolean {
    return this.scorers.length === 0;
  }

  scoreClick(click: ScorerClick): Promise<PluginReadings> {
    return this.run((scorer, ctx) => scorer.scoreClick?.(click, ctx));
  }

  scoreConversion(conversion: ScorerConversion): Promise<PluginReadings> {
    return this.run((scorer, ctx) => scorer.scoreConversion?.(conversion, ctx));
  }

  private async run(
    call: (scorer: FraudScorerPlugin, ctx: { signal: AbortSignal }) => ScorerResult | Promise<ScorerResult> | undefined,
  ): Promise<PluginReadings> {
    const answers = await Promise.all(this.scorers.map((scorer) => this.one(scorer, call)));
    return { readings: answers.flatMap((a) => a.readings), notes: answers.flatMap((a) => a.notes) };
  }

  private async one(
    scorer: FraudScorerPlugin,
    call: (scorer: FraudScorerPlugin, ctx: { signal: AbortSignal }) => ScorerResult | Promise<ScorerResult> | undefined,
  ): Promise<PluginReadings> {
    const abort = new LazyAbort();
    let timer: NodeJS.Timeout | undefined;
    try {
      const pending = call(scorer, abort.context);
      if (pending === undefined) return NOTHING;
      // A scorer that answers at once (a local list, nothing configured) costs no timer: live clicks pay for it.
      if (!isThenable(pending)) return this.answer(scorer, pending);
      const timedOut = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), this.timeoutMs);
      });
      const result = await Promise.race([Promise.resolve(pending), timedOut]);
      if (result === 'timeout') {
        abort.abort();
        return note(`scorer ${scorer.id} timed out after ${this.timeoutMs} ms`);
      }
      return this.answer(scorer, result);
    } catch (error) {
      return note(`scorer ${scorer.id} failed: ${(error as Error)?.message ?? String(error)}`);
    } finally {
      clearTimeout(timer);
    }
  }

  private answer(scorer: FraudScorerPlugin, result: ScorerResult): PluginReadings {
    if (result.outcome === 'not_supported') return NOTHING;
    if (result.outcome === 'unavailable') return note(`scorer ${scorer.id} unavailable: ${result.reason}`);
    const declared = this.declared.get(scorer.id)!;
    return { readings: result.signals.filter((s) => declared.has(s.code)).map(copyReading), notes: [] };
  }
}

/**
 * The scorer's abort signal, made only when the scorer reads it: an AbortController per click and scorer
 * was ~2 % of the tracker's CPU under load, for scorers (a local list, nothing configured) that answer at
 * once and never look at it. Read after the timeout, it is already aborted.
 */
class LazyAbort {
  private controller?: AbortController;
  private aborted = false;
  readonly context: { readonly signal: AbortSignal };

  constructor() {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the getter's `this` is the context object
    const self = this;
    this.context = {
      get signal() {
        if (!self.controller) {
          self.controller = new AbortController();
          if (self.aborted) self.controller.abort();
        }
        return self.controller.signal;
      },
    };
  }

  abort(): void {
    this.aborted = true;
    this.controller?.abort();
  }
}

function isThenable(value: unknown): value is PromiseLike<ScorerResult> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

const NOTHING: PluginReadings = { readings: [], notes: [] };

function note(text: string): PluginReadings {
  return { readings: [], notes: [text.slice(0, 300)] };
}

/** Only the reading's fields, as plain values: what a plugin answers is stored and shown. */
function copyReading(s: SignalReading): SignalReading {
  const reading: SignalReading = {
    code: s.code,
    fired: s.fired === true,
    value: String(s.value ?? '').slice(0, 200),
    threshold: String(s.threshold ?? '').slice(0, 200),
  };
  if (typeof s.measured === 'number' && Number.isFinite(s.measured)) reading.measured = s.measured;
  return reading;
}
