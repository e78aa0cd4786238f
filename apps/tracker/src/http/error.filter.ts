import { ArgumentsHost, Catch, ExceptionFilter, HttpException, Logger } from '@nestjs/common';
import { isAdapterError } from '@postwire/plugin-sdk';
import { isDatabaseUnavailable, PostbackRefused } from '@postwire/persistence';
import { SecretBoxError } from '@postwire/security';
import type { FastifyReply } from 'fastify';
import { ApiError } from './api-error';
import { isErrorCode, type ErrorBody, type ErrorCode } from './error-codes';

/** Seconds a caller is asked to wait when the database is away: PostgreSQL restarts in a few. */
const DATABASE_RETRY_AFTER_SEC = 5;

/**
 * Turns every error into the `{ error, message, param? }` shape. Adapter errors become 400/401;
 * Fastify's own 4xx (bad JSON, body too large, unsupported media type) keep their status. Only a
 * genuine fault of ours is a 500, and it is logged with its stack.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    sendError(host.switchToHttp().getResponse<FastifyReply>(), exception, this.logger);
  }
}

/**
 * Answers `reply` with the error's status, headers and `{ error, message, param? }` body, logging what is
 * ours to look at: the one way every route answers a refusal, the Nest routes (through {@link ErrorFilter})
 * and the plain Fastify ones (the click route) alike.
 */
export function sendError(reply: FastifyReply, exception: unknown, logger: Pick<Logger, 'error' | 'warn'>): void {
  const [status, body] = describeError(exception);
  if (status >= 500 && status !== 503) logger.error(exception instanceof Error ? exception.stack : String(exception));
  else if (status === 503) logger.warn(`503 ${String(body.error)}: ${exception instanceof Error ? exception.message : String(exception)}`);
  if (exception instanceof ApiError) void reply.headers(exception.headers);
  // Networks retry a 503 that says when; nothing of the request was written (one transaction per batch).
  if (isDatabaseUnavailable(exception)) void reply.header('retry-after', String(DATABASE_RETRY_AFTER_SEC));
  void reply.status(status).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(body));
}

/** The HTTP status and `{ error, message, param? }` body an error is answered with (see {@link ErrorFilter}). */
export function describeError(exception: unknown): [number, ErrorBody] {
  if (exception instanceof HttpException) {
    const response = exception.getResponse();
    if (typeof response === 'object' && response && 'error' in response && isErrorCode((response as { error: unknown }).error) && !('statusCode' in response)) {
      return [exception.getStatus(), response as ErrorBody];
    }
    const status = exception.getStatus();
    const message = typeof response === 'string' ? response : ((response as { message?: unknown }).message ?? exception.message);
    // A bare-string HttpException is Nest's wrapping of a Fastify error; at 400/413/415 that is the body's fault (bad JSON, too large, wrong type).
    const param = typeof response === 'string' && (status === 400 || status === 413 || status === 415) ? { param: 'body' } : {};
    return [status, { error: codeFor(status), ...param, message: Array.isArray(message) ? message.join('; ') : String(message) }];
  }
  if (isAdapterError(exception)) {
    const param = (exception as { param?: unknown }).param;
    // An adapter names its own code; one outside the declared set is reported by its status.
    const code = isErrorCode(exception.code) ? exception.code : codeFor(exception.httpStatus);
    return [exception.httpStatus, { error: code, ...(typeof param === 'string' ? { param } : {}), message: exception.message }];
  }
  if (exception instanceof PostbackRefused) return [400, { error: 'bad_parameter', param: exception.param, message: exception.message }];
  // Not the sender's fault and not a bug: this process's SECRETS_KEY is not the one that sealed the
  // network's secrets (two trackers set up with different keys). A 503 tells the network to retry, and
  // the operator reads the cause in the log.
  if (exception instanceof SecretBoxError) {
    return [
      503,
      {
        error: 'secrets_unreadable',
        message:
          'This tracker cannot open a secret stored for this network: it was sealed with another SECRETS_KEY. Every tracker and worker must share one SECRETS_KEY.',
      },
    ];
  }
  if (isDatabaseUnavailable(exception)) {
    return [503, { error: 'database_unavailable', message: `The database cannot be reached right now; retry after ${DATABASE_RETRY_AFTER_SEC} s.` }];
  }
  const fastifyStatus = (exception as { statusCode?: unknown })?.statusCode;
  if (typeof fastifyStatus === 'number' && fastifyStatus >= 400 && fastifyStatus < 500) {
    const param = fastifyStatus === 400 || fastifyStatus === 413 || fastifyStatus === 415 ? { param: 'body' } : {};
    return [fastifyStatus, { error: codeFor(fastifyStatus), ...param, message: (exception as Error).message }];
  }
  return [500, { error: 'internal_error', message: 'Something went wrong on our side; it has been logged.' }];
}

function codeFor(status: number): ErrorCode {
  switch (status) {
    case 400:
      return 'bad_request';
    case 401:
      return 'unauthorized';
    case 403:
      return 'forbidden';
    case 404:
      return 'not_found';
    case 405:
      return 'method_not_allowed';
    case 413:
      return 'payload_too_large';
    case 415:
      return 'unsupported_media_type';
    case 429:
      return 'rate_limited';
    default:
      return status >= 500 ? 'internal_error' : 'bad_request';
  }
}
