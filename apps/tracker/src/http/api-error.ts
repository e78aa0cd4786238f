import { HttpException } from '@nestjs/common';

/**
 * Every refusal Postwire gives has one JSON shape: `{ error, message, param? }`, where `error` is a
 * stable code a program can branch on and `param` names the parameter at fault.
 */
export class ApiError extends HttpException {
  constructor(
    status: number,
    code: string,
    message: string,
    param?: string,
    /** Response headers that belong to the refusal, e.g. `retry-after` on a 429. */
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(param === undefined ? { error: code, message } : { error: code, param, message }, status);
  }

  static badParameter(param: string, message: string): ApiError {
    return new ApiError(400, 'bad_parameter', `${param}: ${message}`, param);
  }

  static notFound(what: string): ApiError {
    return new ApiError(404, 'not_found', `${what} not found`);
  }
}
