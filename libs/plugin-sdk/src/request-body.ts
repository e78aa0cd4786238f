import type { AdapterRequest } from './adapter-request';
import { BadParameterError } from './adapter-errors';
import { parseJsonExact } from './exact-json';
import { findDuplicateJsonKey } from './json-duplicate-keys';

/** Media type of a URL-encoded form body. */
export const FORM_MEDIA_TYPE = 'application/x-www-form-urlencoded';
/** Media type of a JSON body. */
export const JSON_MEDIA_TYPE = 'application/json';

// Names that would reach Object.prototype if some later code copied the body with `Object.assign`
// or a hand-written merge. No network uses them as real parameters, so they are dropped.
const FORBIDDEN_KEYS: ReadonlySet<string> = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * JSON nesting beyond this is refused: postbacks are flat or nearly so, and unbounded depth is a
 * cheap way to exhaust the stack of whatever walks the value next.
 */
export const MAX_JSON_DEPTH = 32;

// `fatal` makes malformed UTF-8 an error instead of silently turning it into U+FFFD, so a body
// that a signature was computed over is never "repaired" into something else.
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The media type of a `Content-Type` header value: lower case, without parameters
 * (`application/json; charset=utf-8` → `application/json`). `undefined` for a missing or blank value.
 */
export function mediaTypeOf(contentType: string | undefined): string | undefined {
  if (contentType === undefined) return undefined;
  const type = contentType.split(';', 1)[0].trim().toLowerCase();
  return type === '' ? undefined : type;
}

function isJsonMediaType(type: string): boolean {
  return type === JSON_MEDIA_TYPE || (type.startsWith('application/') && type.endsWith('+json'));
}

function decodeUtf8(rawBody: Buffer): string {
  try {
    return utf8.decode(rawBody);
  } catch {
    throw new BadParameterError('body', 'is not valid UTF-8');
  }
}

function shortName(name: string): string {
  return name.length > 64 ? `${name.slice(0, 64)}…` : name;
}

function decodeFormComponent(text: string, what: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    // decodeURIComponent throws on a stray `%` and on percent-escapes that are not UTF-8.
    throw new BadParameterError('body', `malformed percent-encoding in ${what}`);
  }
}

function parseForm(text: string): Record<string, string> {
  const fields: Record<string, string> = Object.create(null);
  for (const pair of text.split('&')) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const rawKey = eq === -1 ? pair : pair.slice(0, eq);
    const rawValue = eq === -1 ? '' : pair.slice(eq + 1);
    const key = decodeFormComponent(rawKey, 'a field name');
    const value = decodeFormComponent(rawValue, `field ${shortName(key)}`);
    if (key === '' || FORBIDDEN_KEYS.has(key)) continue;
    if (Object.prototype.hasOwnProperty.call(fields, key)) {
      // A repeated field can say two things at once; which one wins differs between parsers,
      // and a signature checked over one reading must not be applied to the other.
      throw new BadParameterError(shortName(key), 'is given more than once in the body');
    }
    fields[key] = value;
  }
  return fields;
}

/**
 * Rebuilds a parsed JSON value without forbidden keys, refusing excessive depth. Iterative, so a
 * hostile body cannot overflow the stack here either.
 */
function sanitiseJson(root: unknown): unknown {
  if (root === null || typeof root !== 'object') return root;
  const copy = (value: object): Record<string, unknown> | unknown[] => (Array.isArray(value) ? new Array(value.length) : {});
  const out = copy(root);
  const stack: Array<{ from: object; to: Record<string, unknown> | unknown[]; depth: number }> = [{ from: root, to: out, depth: 1 }];
  while (stack.length) {
    const { from, to, depth } = stack.pop()!;
    if (depth > MAX_JSON_DEPTH) throw new BadParameterError('body', `JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
    for (const [key, value] of Object.entries(from)) {
      if (!Array.isArray(from) && FORBIDDEN_KEYS.has(key)) continue;
      let next: unknown = value;
      if (value !== null && typeof value === 'object') {
        next = copy(value);
        stack.push({ from: value, to: next as Record<string, unknown> | unknown[], depth: depth + 1 });
      }
      if (Array.isArray(to)) to[Number(key)] = next;
      // defineProperty, not assignment: a plain object must never get a setter-driven key.
      else Object.defineProperty(to, key, { value: next, enumerable: true, writable: true, configurable: true });
    }
  }
  return out;
}

/**
 * Parses a request body by its content type, the same way for the tracker and for adapters:
 *
 * - `application/x-www-form-urlencoded` → an object (null prototype) of single string values.
 *   A field given twice is refused with {@link BadParameterError} naming it; `__proto__`,
 *   `constructor` and `prototype` fields are dropped; malformed percent-encoding is refused.
 * - `application/json` (and `application/*+json`) → the parsed JSON value, with the same three
 *   keys dropped at every level. A key given twice in one object (at any depth) is refused with
 *   `BadParameterError` naming its path. Invalid JSON or nesting beyond {@link MAX_JSON_DEPTH} is refused
 *   with `BadParameterError('body', …)`. A number a double cannot hold exactly, or one written with an
 *   exponent, is refused naming its path ("send it as a string"; {@link parseJsonExact}).
 * - anything else, or an empty body → `undefined`; the raw bytes stay available to the adapter.
 *
 * The body must be UTF-8 (the `charset` parameter is not consulted); anything else is refused.
 */
export function parseRequestBody(contentType: string | undefined, rawBody: Buffer): unknown {
  const type = mediaTypeOf(contentType);
  if (type === undefined || rawBody.length === 0) return undefined;
  if (type === FORM_MEDIA_TYPE) return parseForm(decodeUtf8(rawBody));
  if (!isJsonMediaType(type)) return undefined;
  const text = decodeUtf8(rawBody);
  if (text.trim() === '') return undefined;
  // Numbers keep their exact value or are refused (exact-json.ts): never rounded through a double.
  const parsed = parseJsonExact(text);
  // The parser keeps the last of two equal keys; a body that says two things at once is refused, as a repeated form field is.
  const duplicate = findDuplicateJsonKey(text);
  if (duplicate !== undefined) throw new BadParameterError(duplicate, 'is given more than once in the JSON body');
  return sanitiseJson(parsed);
}

/** What {@link buildAdapterRequest} needs: an HTTP request as a framework or a test fixture holds it. */
export interface AdapterRequestInput {
  method: 'GET' | 'POST';
  /** Path without the query string. */
  path: string;
  /** Query parameters, already decoded, one value each. */
  query?: Readonly<Record<string, string>>;
  /** Header names in any case; they are lower-cased. */
  headers?: Readonly<Record<string, string>>;
  /** The `Content-Type` value; defaults to the `content-type` header. Parameters are stripped. */
  contentType?: string;
  /** The body as received; a string is taken as UTF-8. */
  body?: string | Buffer;
  /** Client address; defaults to `127.0.0.1`. */
  ip?: string;
}

/**
 * Assembles an {@link AdapterRequest} the way the tracker does: lower-case header names, the
 * media type without parameters, the raw body as a Buffer and the body parsed with
 * {@link parseRequestBody}. Throws {@link BadParameterError} for a body that cannot be parsed
 * or for a header given twice under different cases.
 */
export function buildAdapterRequest(input: AdapterRequestInput): AdapterRequest {
  if (input.method !== 'GET' && input.method !== 'POST') throw new TypeError(`unsupported method ${String(input.method)}`);
  const query: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(input.query ?? {})) {
    if (typeof value !== 'string') throw new TypeError(`query parameter ${key} must be a string`);
    if (FORBIDDEN_KEYS.has(key)) continue;
    query[key] = value;
  }
  const headers: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(input.headers ?? {})) {
    if (typeof value !== 'string') throw new TypeError(`header ${name} must be a string`);
    const lower = name.toLowerCase();
    if (Object.prototype.hasOwnProperty.call(headers, lower)) throw new BadParameterError(shortName(lower), 'header is given more than once');
    headers[lower] = value;
  }
  const rawBody = input.body === undefined ? Buffer.alloc(0) : typeof input.body === 'string' ? Buffer.from(input.body, 'utf8') : input.body;
  const contentType = mediaTypeOf(input.contentType ?? headers['content-type']);
  const request: AdapterRequest = {
    method: input.method,
    path: input.path,
    query,
    headers,
    rawBody,
    ip: input.ip ?? '127.0.0.1',
  };
  if (contentType !== undefined) request.contentType = contentType;
  const body = parseRequestBody(contentType, rawBody);
  if (body !== undefined) request.body = body;
  return request;
}
