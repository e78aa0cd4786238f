/**
 * The only errors an adapter should throw, for requests it refuses (an event type it does not use is
 * not one: `parse` returns an `IgnoredEvent` for it). The tracker maps them to HTTP answers; anything
 * else an adapter throws is treated as a bug in the adapter and answered as a bad request, never
 * as a 500, so garbage input cannot take the endpoint down.
 */
export abstract class AdapterError extends Error {
  abstract readonly httpStatus: 400 | 401;
  abstract readonly code: string;
}

/** A parameter is missing or malformed. `param` names it exactly as the network sends it. */
export class BadParameterError extends AdapterError {
  readonly httpStatus = 400;
  readonly code = 'bad_parameter';
  constructor(
    readonly param: string,
    message: string,
  ) {
    super(`${param}: ${message}`);
    this.name = 'BadParameterError';
  }
}

/** The network's own signature or encryption did not check out. */
export class BadSignatureError extends AdapterError {
  readonly httpStatus = 401;
  readonly code = 'bad_signature';
  constructor(message = 'the signature does not match') {
    super(message);
    this.name = 'BadSignatureError';
  }
}

/**
 * True for an {@link AdapterError}, also one made by another copy of this SDK (an external plugin
 * installed from npm brings its own), which `instanceof` would not recognise.
 */
export function isAdapterError(error: unknown): error is AdapterError {
  if (error instanceof AdapterError) return true;
  const e = error as { httpStatus?: unknown; code?: unknown; message?: unknown } | null;
  return !!e && typeof e === 'object' && (e.httpStatus === 400 || e.httpStatus === 401) && typeof e.code === 'string' && typeof e.message === 'string';
}
