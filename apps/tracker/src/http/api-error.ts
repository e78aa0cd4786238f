import { HttpException } from '@nestjs/common';
import { ERROR_CODES, type ErrorBody, type ErrorCode } from './error-codes';

/**
 * Every refusal Postwire gives has one JSON shape, {@link ErrorBody}: `{ error, message, param? }`,
 * where `error` is one of the declared {@link ERROR_CODES} (which also gives the HTTP status) and
 * `param` names the parameter at fault.
 */
export class ApiError extends HttpException {
  constructor(
    readonly code: ErrorCode,
    message: string,
    param?: string,
    /** Response headers that belong to the refusal, e.g. `retry-after` on a 429. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    const body: ErrorBody = param === undefined ? { error: code, message } : { error: code, param, message };
    super(body, ERROR_CODES[code].status);
  }

  static badParameter(param: string, message: string): ApiError {
    return new ApiError('bad_parameter', `${param}: ${message}`, param);
  }

  static notFound(what: string): ApiError {
    return new ApiError('not_found', `${what} not found`);
  }
}
