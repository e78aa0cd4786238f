import { useState } from 'react';

/**
 * The version of an item an edit form started from. Saves send its `version`; when the server refuses
 * one as stale, `review` moves the form onto the latest version (keeping the user's edits), so the next
 * save knowingly replaces the colleague's change.
 */
export function useEditBase<T extends { version: number }>(latest: T) {
  const [base, setBase] = useState(latest);
  return { base, version: base.version, review: () => setBase(latest) };
}
