/** Why {@link checkParams} refused a parameter map. */
export type ParamRejectReason =
  'too_many_params' | 'repeated_param' | 'forbidden_key' | 'key_too_long' | 'value_too_long' | 'control_character' | 'invalid_utf8' | 'not_a_string';

/** Limits of {@link checkParams}; lengths count UTF-16 code units (`string.length`). */
export interface ParamLimits {
  /** Default 64. */
  maxKeys?: number;
  /** Default 64. */
  maxKeyLength?: number;
  /** Default 2048. */
  maxValueLength?: number;
  /**
   * Lets CR and LF through in values (never in keys), for network adapters whose network sends
   * multi-line values (addresses, notes). Default false. Other control characters stay refused.
   */
  allowLineBreaks?: boolean;
}

/**
 * Result of {@link checkParams}. On refusal `param` names the offending parameter, already escaped with
 * {@link safeLogValue} and cut to 64 characters, so it can be logged or echoed in an error response as is.
 */
export type ParamCheck = { ok: true; params: Record<string, string> } | { ok: false; param: string; reason: ParamRejectReason };

/**
 * Keys that reach Object.prototype when copied into an ordinary object (`obj[key] = value`, spreads into
 * merge helpers). The params object returned here has no prototype, but it will be copied later by code
 * that does not expect hostile keys. They are refused, not silently dropped: no genuine network sends
 * them, and a visible refusal shows up in the logs where a dropped key would hide a probe.
 */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Finds the first character a parameter may not contain (shared with {@link checkInputTree}); CR/LF pass when `allowLineBreaks`. */
export function badCharacter(text: string, allowLineBreaks = false): 'control_character' | 'invalid_utf8' | null {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (allowLineBreaks && (c === 0x0a || c === 0x0d)) continue;
    // C0 controls except tab, DEL and C1 controls: newlines forge log lines, ESC drives terminals, NUL truncates C strings.
    if ((c < 0x20 && c !== 0x09) || (c >= 0x7f && c <= 0x9f)) return 'control_character';
    // U+FFFD is what a decoder leaves for bytes that were not UTF-8: the value is already corrupted.
    if (c === 0xfffd) return 'invalid_utf8';
    if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i++;
      else return 'invalid_utf8';
    } else if (c >= 0xdc00 && c <= 0xdfff) {
      return 'invalid_utf8';
    }
  }
  return null;
}

/**
 * Validates a query or body map from an untrusted sender and copies it into a prototype-less object
 * of plain strings.
 *
 * Refused: more than `maxKeys` parameters; a repeated parameter (an array value — which of the two
 * values would count? HTTP parameter pollution relies on components disagreeing); keys `__proto__`,
 * `constructor`, `prototype`; over-long keys or values; control characters other than tab; U+FFFD or
 * unpaired surrogates (broken encoding); objects. Finite numbers and booleans (from JSON bodies) are
 * converted with `String()`; `null` and `undefined` values are treated as absent.
 */
export function checkParams(raw: Readonly<Record<string, unknown>>, limits: ParamLimits = {}): ParamCheck {
  const { maxKeys = 64, maxKeyLength = 64, maxValueLength = 2048, allowLineBreaks = false } = limits;
  const fail = (param: string, reason: ParamRejectReason): ParamCheck => ({ ok: false, param: safeLogValue(param, 64), reason });
  const keys = Object.keys(raw);
  if (keys.length > maxKeys) return fail(keys[maxKeys], 'too_many_params');
  const params: Record<string, string> = Object.create(null);
  for (const key of keys) {
    if (FORBIDDEN_KEYS.has(key)) return fail(key, 'forbidden_key');
    if (key.length > maxKeyLength) return fail(key, 'key_too_long');
    const keyProblem = badCharacter(key);
    if (keyProblem) return fail(key, keyProblem);
    const value = raw[key];
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) return fail(key, 'repeated_param');
    let text: string;
    if (typeof value === 'string') text = value;
    else if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'boolean') text = String(value);
    else return fail(key, 'not_a_string');
    if (text.length > maxValueLength) return fail(key, 'value_too_long');
    const valueProblem = badCharacter(text, allowLineBreaks);
    if (valueProblem) return fail(key, valueProblem);
    params[key] = text;
  }
  return { ok: true, params };
}

const NAMED_ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: number): string {
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

/** Characters that are printable but still rewrite what a reader sees: line/paragraph separators, bidi controls, BOM. */
function isInvisibleFormat(c: number): boolean {
  return c === 0x2028 || c === 0x2029 || c === 0x200e || c === 0x200f || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) || c === 0xfeff;
}

/**
 * Makes an untrusted string safe to put in a log line or a terminal: control characters become `\n`,
 * `\xHH`, line separators, bidi overrides and broken surrogates become `\uHHHH`, and a backslash is
 * doubled so an escape in the output always means an escape was made. Longer input is cut to
 * `maxLength` characters (never inside a surrogate pair) and marked with how much was dropped, so one
 * request cannot flood the logs.
 */
export function safeLogValue(value: unknown, maxLength = 256): string {
  const text = typeof value === 'string' ? value : String(value);
  let end = Math.min(text.length, Math.max(0, maxLength));
  const lastCode = text.charCodeAt(end - 1);
  if (end < text.length && lastCode >= 0xd800 && lastCode <= 0xdbff) end--;
  let out = '';
  for (let i = 0; i < end; i++) {
    const ch = text[i];
    const c = text.charCodeAt(i);
    if (NAMED_ESCAPES[ch]) out += NAMED_ESCAPES[ch];
    else if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || isInvisibleFormat(c)) out += escapeChar(c);
    else if (c >= 0xd800 && c <= 0xdbff) {
      const next = text.charCodeAt(i + 1);
      if (i + 1 < end && next >= 0xdc00 && next <= 0xdfff) {
        out += ch + text[i + 1];
        i++;
      } else out += escapeChar(c);
    } else if (c >= 0xdc00 && c <= 0xdfff) out += escapeChar(c);
    else out += ch;
  }
  return end < text.length ? `${out}…(+${text.length - end} chars)` : out;
}
