/**
 * The console's only door to the server: the public admin API, same origin, with the session cookie.
 * The CSRF token lives in memory only (never localStorage); every write sends it in `X-CSRF-Token`.
 * Reads are typed by ./responses and writes go through ./endpoints, both from the generated OpenAPI types.
 */
import type { components } from './schema';

/** The server's refusal body and its closed set of codes, generated from the OpenAPI document (docs/api-errors.md). */
export type ErrorBody = components['schemas']['Error'];
/** A server code, or what the console says when there was no answer (`network_error`) or no JSON one (`http_<status>`). */
export type ErrorCode = ErrorBody['error'] | 'network_error' | `http_${number}`;

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** The CSRF header a request of this method carries (writes only). */
export function csrfHeader(method: string): Record<string, string> {
  return method !== 'GET' && method !== 'HEAD' && csrfToken ? { 'x-csrf-token': csrfToken } : {};
}

/** An API answer that was not 2xx, with the server's own message (and the parameter a 400 names). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ErrorCode,
    message: string,
    readonly param?: string,
  ) {
    super(message);
  }
}

type Query = Record<string, string | number | boolean | readonly string[] | null | undefined>;

export function toQueryString(query?: Query): string {
  if (!query) return '';
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value === undefined || value === null || value === '') continue;
    if (Array.isArray(value)) {
      if (value.length) params.set(key, value.join(','));
    } else params.set(key, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

async function request<T>(method: string, path: string, options: { query?: Query; body?: unknown; accept?: string } = {}): Promise<T> {
  const headers: Record<string, string> = { accept: options.accept ?? 'application/json' };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, csrfHeader(method));
  let res: Response;
  try {
    res = await fetch(`${path}${toQueryString(options.query)}`, {
      method,
      headers,
      credentials: 'same-origin',
      body: options.body === undefined ? undefined : JSON.stringify(options.body),
    });
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection and that Postwire is running.');
  }
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  if (!res.ok) {
    let parsed: Partial<ErrorBody> = {};
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      /* not JSON: the status says enough */
    }
    // The server's message already starts with the parameter ("url: must be…"); prefix it only where it does not.
    const message =
      parsed.param && !parsed.message?.startsWith(`${parsed.param}: `)
        ? `${parsed.param}: ${parsed.message ?? 'is not valid'}`
        : (parsed.message ?? `The server answered ${res.status}.`);
    throw new ApiError(res.status, parsed.error ?? `http_${res.status}`, message, parsed.param);
  }
  if (options.accept && options.accept !== 'application/json') return text as T;
  return (text ? JSON.parse(text) : undefined) as T;
}

export const api = {
  get: <T>(path: string, query?: Query) => request<T>('GET', path, { query }),
  text: (path: string, query?: Query, accept = 'text/csv') => request<string>('GET', path, { query, accept }),
  post: <T>(path: string, body?: unknown) => request<T>('POST', path, { body: body ?? {} }),
  put: <T>(path: string, body: unknown) => request<T>('PUT', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string) => request<T>('DELETE', path),
};
