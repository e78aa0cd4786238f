import type { SubParam } from '../click/macros';

/** What is known about a click when it is scored. */
export interface ClickFacts {
  ip?: string | null;
  userAgent?: string | null;
  subs: Readonly<Partial<Record<SubParam, string | null>>>;
}

/** What is known about a conversion when it is scored: its click, and when each happened. */
export interface ConversionFacts {
  click: ClickFacts & { at: Date };
  at: Date;
}
