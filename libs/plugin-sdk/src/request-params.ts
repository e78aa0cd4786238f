import type { AdapterRequest } from './adapter-request';
import { BadParameterError } from './adapter-errors';

/**
 * The request's parameters as one flat map: query string plus form or flat JSON body.
 * A parameter given in both places is refused, so a postback cannot say two things at once.
 * Finite JSON numbers and booleans are turned into strings and `null` counts as not sent. An
 * object or array where a parameter is read, or a number JSON cannot hold exactly (`1e400` is
 * Infinity), is refused with {@link BadParameterError} naming it: treating `"txid": ["A"]` or
 * `"payout": 1e400` as "not sent" would book the conversion with the offer's payout or no txid.
 */
export function requestParams(request: AdapterRequest): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(request.query)) params[key] = value;
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      let text: string;
      if (value === null || value === undefined) continue;
      if (typeof value === 'string') text = value;
      else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
      else if (typeof value === 'number') throw new BadParameterError(key, 'must be a finite number');
      else if (typeof value === 'boolean') text = String(value);
      else throw new BadParameterError(key, 'must be a plain value, not an object or array');
      if (key in params) throw new BadParameterError(key, 'given both in the query and in the body');
      params[key] = text;
    }
  }
  return params;
}

/**
 * Reads one parameter that may travel under several names (`click_id`, `clickid`, `cid` …).
 * Two different names given at once is refused rather than guessed at.
 */
export function pickAlias(params: Readonly<Record<string, string>>, names: readonly string[]): string | undefined {
  let found: { name: string; value: string } | undefined;
  for (const name of names) {
    const value = params[name];
    if (value === undefined || value === '') continue;
    if (found && found.value !== value) {
      throw new BadParameterError(name, `conflicts with ${found.name}; send only one of ${names.join(', ')}`);
    }
    found ??= { name, value };
  }
  return found?.value;
}

/**
 * {@link requestParams} without the values that mean "not sent": empty or blank values (a sub ID
 * nobody set) and macros the network left unfilled as literal text (`{currency}`). Most GET
 * networks do both, so adapters read their parameters through this.
 */
export function sentParams(request: AdapterRequest): Record<string, string> {
  const sent: Record<string, string> = Object.create(null);
  for (const [name, value] of Object.entries(requestParams(request))) {
    const trimmed = value.trim();
    if (trimmed !== '' && !/^\{[^{}]*\}$/.test(trimmed)) sent[name] = value;
  }
  return sent;
}
