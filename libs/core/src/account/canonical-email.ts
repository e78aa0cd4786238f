/**
 * The one form an e-mail address is compared, stored and counted in: Unicode NFKC, then case-folded.
 *
 * Every place that names an account (sign-in, user create/update, the sign-in throttle's keys, the
 * CLI, the unique index) goes through this function, so no two spellings of one address can reach
 * different accounts or different failure counters (`nİna@` and `nina@` are one address).
 *
 * JavaScript has no case-fold primitive: lower-, upper- then lower-casing is full case folding for the
 * letters that matter (`ß` and `ẞ`→`ss`, `ſ`→`s`, final `ς`→`σ`). The dotted capital `İ` folds to `i` plus a
 * combining dot above; an `i` already has its dot, so that mark is dropped, as PostgreSQL's `lower()`
 * does. NFKC runs again last so the result is stable (canonical(canonical(x)) === canonical(x)).
 */
export function canonicalEmail(address: string): string {
  return address
    .trim()
    .normalize('NFKC')
    .toLowerCase()
    .toUpperCase()
    .toLowerCase()
    .replace(/i\u0307/g, 'i')
    .normalize('NFKC');
}
