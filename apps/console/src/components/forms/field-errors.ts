/**
 * Turns the API's 400 answer (`{error, param, message}`) into words on the form field it is about.
 * The server names the parameter by its path in the body ("url", "guards.ipAllowlist.2", "rates.0.rate")
 * and its message starts with that path ("url: must be…"); a form shows the message on its own field,
 * without the path, capitalised, and says which item of a list when the path goes below the field.
 */

/** The parts of a refused request a form reads: what `ApiError` of api/client carries. */
export interface RefusalLike {
  status: number;
  message: string;
  param?: string;
}

/** A refusal placed on a form: on one of its fields, or (no field matched) for the whole form. */
export type PlacedError = { field: string; message: string } | { field: null; message: string };

function isRefusal(error: unknown): error is RefusalLike {
  return typeof error === 'object' && error !== null && typeof (error as RefusalLike).status === 'number' && typeof (error as RefusalLike).message === 'string';
}

const capitalise = (text: string) => (text ? text[0].toUpperCase() + text.slice(1) : text);

/** The server's message without the parameter path it starts with ("url: url: must be…" → "must be…"). */
export function withoutParam(message: string, param: string | undefined): string {
  let text = message.trim();
  if (param) while (text.startsWith(`${param}: `)) text = text.slice(param.length + 2).trim();
  return text;
}

/** The field of the form a parameter path belongs to: the field itself, or the longest field the path goes under. */
export function fieldOf(param: string, fields: readonly string[]): string | undefined {
  if (fields.includes(param)) return param;
  return fields.filter((f) => param.startsWith(`${f}.`)).sort((a, b) => b.length - a.length)[0];
}

/** "0.rate" under a field reads "Item 1, rate"; "2" reads "Item 3"; the user counts from one. */
function describeBelow(rest: string): string {
  return rest
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? `item ${Number(part) + 1}` : part))
    .join(', ');
}

/**
 * Where a mutation's error goes on a form of these fields, in plain words. A 400 naming a field lands on
 * it; anything else (a 409, a 403, no field named) is for the whole form, with the server's own message.
 */
export function placeError(error: unknown, fields: readonly string[]): PlacedError | null {
  if (!error) return null;
  if (!isRefusal(error)) return { field: null, message: error instanceof Error ? error.message : String(error) };
  const param = error.param;
  const text = withoutParam(error.message, param);
  // Some refusals write a list item as `guards.ipAllowlist[2]`; both spellings name the same place.
  const path = param?.replace(/\[(\d+)\]/g, '.$1');
  const field = error.status === 400 && path ? fieldOf(path, fields) : undefined;
  if (!field) return { field: null, message: param && text !== error.message.trim() ? `${param}: ${text}` : text };
  const below = path!.slice(field.length + 1);
  return { field, message: capitalise(below ? `${describeBelow(below)}: ${text}` : text) };
}
