import type { AdapterRequest } from './adapter-request';
import { BadParameterError } from './adapter-errors';

/**
 * The request's parameters as one flat map: query string plus form or flat JSON body.
 * A parameter given in both places is refused, so a postback cannot say two things at once.
 * Non-string JSON scalars are turned into strings; nested JSON values are left out.
 */
export function requestParams(request: AdapterRequest): Record<string, string> {
  const params: Record<string, string> = Object.create(null);
  for (const [key, value] of Object.entries(request.query)) params[key] = value;
  const body = request.body;
  if (body && typeof body === 'object' && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
      let text: string | undefined;
      if (typeof value === 'string') text = value;
      else if (typeof value === 'number' && Number.isFinite(value)) text = String(value);
      else if (typeof value === 'boolean') text = String(value);
      if (text === undefined) continue;
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
