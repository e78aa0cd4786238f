import { isSensitiveName, MASK, safeDecode } from './secret-mask';

/** A credential sent back as its mask, with the stored value it stands for. */
export interface KeptSecrets<T> {
  value: T;
  /** How many masked values were replaced by stored ones. */
  kept: number;
}

/** A mask that names no stored value: the caller answers 400 naming `param`. */
export class MaskWithoutValue extends Error {
  readonly reason = `"${MASK}" stands for a stored value, and there is none here; send the real value`;

  constructor(readonly param: string) {
    super();
    this.message = `${param}: ${this.reason}`;
  }
}

/**
 * The URL a client sent back, with every credential it shows as `***` (the user-info password, a
 * credential-like query value; see maskUrl) replaced by the stored URL's value at that place: a
 * masked value sent back unchanged means "keep", never a literal `***`.
 * @throws {MaskWithoutValue} when the stored URL has no value there
 */
export function keepMaskedUrl(sent: string, stored: string): KeptSecrets<string> {
  let kept = 0;
  const storedPassword = /^[a-z][a-z0-9+.-]*:\/\/[^/?#@:]*:([^/?#@]*)@/i.exec(stored)?.[1];
  let url = sent.replace(/^([a-z][a-z0-9+.-]*:\/\/[^/?#@:]*):([^/?#@]*)@/i, (whole, head: string, password: string) => {
    if (password !== MASK) return whole;
    if (storedPassword === undefined) throw new MaskWithoutValue('postbackUrl');
    kept++;
    return `${head}:${storedPassword}@`;
  });
  const storedValues = queryValues(stored);
  url = url.replace(/([?&])([^=&#]*)=([^&#]*)/g, (whole, sep: string, name: string, value: string) => {
    if (value !== MASK || !isSensitiveName(safeDecode(name))) return whole;
    const original = storedValues.get(name);
    if (original === undefined) throw new MaskWithoutValue(`postbackUrl (${safeDecode(name)})`);
    kept++;
    return `${sep}${name}=${original}`;
  });
  return { value: url, kept };
}

/**
 * Headers a client sent back, with each value shown as `***` replaced by the stored header's value.
 * @throws {MaskWithoutValue} when no stored header of that name exists
 */
export function keepMaskedHeaders(sent: Readonly<Record<string, string>>, stored: Readonly<Record<string, string>>): KeptSecrets<Record<string, string>> {
  let kept = 0;
  const value = Object.fromEntries(
    Object.entries(sent).map(([name, v]) => {
      if (v !== MASK) return [name, v];
      const original = stored[name.toLowerCase()];
      if (original === undefined) throw new MaskWithoutValue(`headers.${name}`);
      kept++;
      return [name, original];
    }),
  );
  return { value, kept };
}

/** Whether two URL templates send to the same place: scheme, host and port. Macros (`{click_id}`) cannot change them. */
export function sameDestination(a: string, b: string): boolean {
  const origin = (template: string) => {
    try {
      const url = new URL(template.replace(/\{[a-z0-9_]+\}/gi, 'x'));
      return `${url.protocol}//${url.hostname}:${url.port}`;
    } catch {
      return undefined;
    }
  };
  const [x, y] = [origin(a), origin(b)];
  return x !== undefined && x === y;
}

/** The credential-like headers among these (what a new destination would receive). */
export function credentialHeaderNames(headers: Readonly<Record<string, string>>): string[] {
  return Object.keys(headers).filter(isSensitiveName);
}

function queryValues(url: string): Map<string, string> {
  const values = new Map<string, string>();
  const query = url.split('#')[0].split('?').slice(1).join('?');
  for (const pair of query.split('&')) {
    const eq = pair.indexOf('=');
    if (eq !== -1 && !values.has(pair.slice(0, eq))) values.set(pair.slice(0, eq), pair.slice(eq + 1));
  }
  return values;
}
