import { ctitScorer } from './ctit-scorer';
import { datacenterScorer } from './datacenter-scorer';
import { operatorListScorer } from './operator-list-scorer';
import type { SignalScorer } from './signal-scorer';
import { userAgentScorer } from './user-agent-scorer';

export * from './signal-scorer';
export { ctitScorer, datacenterScorer, operatorListScorer, userAgentScorer };

/**
 * The built-in signals, in evaluation order (the order of a trace's signals). A new signal function is
 * adopted here in one line: `clickSignal('<id>', [<codes>], <fn>)` or `conversionSignal(...)`.
 */
export const BUILT_IN_SCORERS: readonly SignalScorer[] = [userAgentScorer, datacenterScorer, operatorListScorer, ctitScorer];
