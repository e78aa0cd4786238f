/**
 * The query-string parser of every route. Fastify's default (fast-querystring) leaves a value whose
 * percent-encoding is not UTF-8 (`%C3%28`, `%FF`) undecoded, so `goal=%C3%28` would be stored as the
 * literal text `%C3%28`. Here such bytes become U+FFFD, the WHATWG decoding, which the parameter
 * checks refuse as broken encoding, naming the parameter. A repeated name gives an array, as before,
 * so "one value per parameter" is still checked downstream. The object has no prototype.
 */
export function strictQuerystring(text: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = Object.create(null);
  for (const [key, value] of new URLSearchParams(text)) {
    const seen = out[key];
    if (seen === undefined) out[key] = value;
    else if (Array.isArray(seen)) seen.push(value);
    else out[key] = [seen, value];
  }
  return out;
}
