import type { CanonicalPostback } from '../canonical-postback';
import { isIgnoredEvent, type ParseResult } from '../parse-result';

/** The postbacks of a parse result, for assertions on them; an ignored event fails the test. */
export function postbacksOf(result: ParseResult): CanonicalPostback[] {
  if (isIgnoredEvent(result)) throw new Error(`expected postbacks, the adapter ignored the event ${JSON.stringify(result.event)}`);
  return result;
}
