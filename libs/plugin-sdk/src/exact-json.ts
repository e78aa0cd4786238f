import { isSafeNumber, parse } from 'lossless-json';
import { BadParameterError } from './adapter-errors';

/** A number in plain decimal notation (`-12.50`, `9`), the only spelling accepted as a JSON number. */
const PLAIN_DECIMAL = /^-?(?:0|[1-9]\d*)(?:\.\d+)?$/;

/** A JSON number that is refused, held as its text until its path in the value is known. */
class RefusedNumber {
  constructor(readonly text: string) {}

  /** Why it is refused; the advice is the same for both: a string keeps every digit as sent. */
  reason(): string {
    const shown = this.text.length > 40 ? `${this.text.slice(0, 40)}…` : this.text;
    return PLAIN_DECIMAL.test(this.text)
      ? `${shown} cannot be held exactly as a JSON number (more digits than a double keeps); send it as a string`
      : `${shown} is written with an exponent; write it as a plain decimal, or send it as a string`;
  }
}

/**
 * Parses JSON text so that no number is silently changed. `JSON.parse` turns every number into a
 * double: `{"txid": 9007199254740993}` becomes …992, and a payout of `12345678901.123456789` is
 * rounded, while the same values sent as strings keep every digit. Here a number becomes a JS
 * number only when it is in plain decimal notation and the double holds its exact value (`12.50`,
 * `0.1`, `42`); any other number is refused with a {@link BadParameterError} naming its path and
 * saying to send it as a string. Exponent notation (`1E2`) is refused as well, so a number and a
 * string spelling get the same answer (decimal strings are never read with an exponent either).
 *
 * Invalid JSON is refused as `body`. Two equal keys in one object are NOT refused here: the last
 * one is kept, as `JSON.parse` does; callers refuse them with {@link findDuplicateJsonKey}, which
 * names the path.
 */
export function parseJsonExact(text: string): unknown {
  let refused = false;
  let value: unknown;
  try {
    value = parse(text, null, {
      parseNumber: (digits: string) => {
        if (PLAIN_DECIMAL.test(digits) && isSafeNumber(digits)) return Number(digits);
        refused = true;
        return new RefusedNumber(digits);
      },
      onDuplicateKey: ({ newValue }) => newValue,
    });
  } catch (error) {
    // lossless-json parses by recursion: very deep nesting ends the stack, which is the body's fault too.
    const reason =
      error instanceof RangeError ? 'is nested too deeply' : `is not valid JSON (${error instanceof Error ? error.message.slice(0, 120) : 'cannot be parsed'})`;
    throw new BadParameterError('body', reason);
  }
  if (refused) {
    const found = findRefusedNumber(value);
    if (found) throw new BadParameterError(found.path, found.number.reason());
  }
  return value;
}

/** A refused number and its path (`a.b[2]`), walking without recursion. */
function findRefusedNumber(root: unknown): { path: string; number: RefusedNumber } | undefined {
  const stack: Array<{ value: unknown; path: string }> = [{ value: root, path: '' }];
  while (stack.length) {
    const { value, path } = stack.pop()!;
    if (value instanceof RefusedNumber) return { path: path || 'body', number: value };
    if (Array.isArray(value)) value.forEach((item, i) => stack.push({ value: item, path: `${path}[${i}]` }));
    else if (value !== null && typeof value === 'object')
      for (const [key, item] of Object.entries(value)) stack.push({ value: item, path: path === '' ? key : `${path}.${key}` });
  }
  return undefined;
}
