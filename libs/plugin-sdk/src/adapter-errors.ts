/**
 * The only errors an adapter should throw. The tracker maps them to HTTP answers; anything
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

/** The network sent an event type this adapter does not turn into conversions. */
export class UnsupportedEventError extends AdapterError {
  readonly httpStatus = 400;
  readonly code = 'unsupported_event';
  constructor(readonly event: string) {
    super(`unsupported event: ${event}`);
    this.name = 'UnsupportedEventError';
  }
}
