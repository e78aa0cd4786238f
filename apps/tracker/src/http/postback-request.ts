import { buildAdapterRequest, STRICT_LIMITS, type AdapterLimits, type AdapterRequest } from '@postwire/plugin-sdk';
import { GET_SIGNATURE_PARAM, GET_TIMESTAMP_PARAM, type ParamLimits } from '@postwire/security';
import type { FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';
import { ApiError } from './api-error';
import { nestedParams, singleValuedParams } from './request-params';

/**
 * Query parameters that belong to the guards (API key, GET signature). They are removed before an
 * adapter sees the request and before anything is logged: the key is a credential, and `ts`/`sig`
 * are not data about the conversion.
 */
export const GUARD_QUERY_PARAMS: readonly string[] = ['key', GET_TIMESTAMP_PARAM, GET_SIGNATURE_PARAM];

/** Headers that carry a guard credential and are likewise kept from adapters. */
const GUARD_HEADERS: readonly string[] = ['x-api-key'];

/**
 * A postback as it arrived, before anything is read from it: what the network's guards check and
 * {@link readPostbackRequest} reads. The HTTP route builds it from the request ({@link arrivedPostbackOf});
 * the console's test-postback tool builds it from the URL the network was given.
 */
export interface ArrivedPostback {
  /** As sent; HEAD too (Fastify answers it with the GET route), which is refused when the request is read. */
  method: string;
  /** The path without the query string (GET signatures cover it). */
  path: string;
  /** The parsed query string: a repeated parameter is an array. */
  query: Record<string, unknown>;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The client address after the `TRUST_PROXY` rules. */
  ip: string;
}

/** The arrived postback of an HTTP request, `ip` being its resolved client address. */
export function arrivedPostbackOf(req: FastifyRequest, ip: string): ArrivedPostback {
  return {
    method: req.method,
    path: req.url.split('?')[0],
    query: (req.query ?? {}) as Record<string, unknown>,
    headers: req.headers,
    rawBody: (req as FastifyRequest & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0),
    ip,
  };
}

/** A postback read: the request as an adapter sees it, and the parameters to keep in the postback log. */
export interface ReadPostback {
  request: AdapterRequest;
  logged: Record<string, unknown>;
}

/**
 * Reads a postback: the request as an adapter sees it, and the parameters to keep in the postback log.
 * Everything is checked here first (one value per parameter, lengths, control characters, body
 * encoding); a problem is a 400 naming the parameter.
 *
 * `limits` are the adapter's on `/postback/:network` ({@link AdapterLimits}); the generic endpoint
 * keeps {@link STRICT_LIMITS}.
 */
export function readPostbackRequest(arrived: ArrivedPostback, limits: AdapterLimits = STRICT_LIMITS): ReadPostback {
  // Fastify answers HEAD with the GET route. A link checker or prefetcher sending HEAD must not book a conversion.
  if (arrived.method !== 'GET' && arrived.method !== 'POST') throw new ApiError('method_not_allowed', 'Postbacks are sent with GET or POST.');
  const paramLimits: ParamLimits = { maxKeys: limits.maxFields, maxValueLength: limits.maxValueLength, allowLineBreaks: limits.allowLineBreaks };
  const query = singleValuedParams(arrived.query, paramLimits);
  for (const name of GUARD_QUERY_PARAMS) delete query[name];
  const raw = arrived.rawBody;
  // The HTTP server's own cap on this route is the highest any adapter may declare; this is the network's.
  if (raw.length > limits.maxBodyBytes) throw new ApiError('body_too_large', `The body is larger than the ${limits.maxBodyBytes} bytes accepted here.`);
  const request = buildAdapterRequest({
    method: arrived.method === 'POST' ? 'POST' : 'GET',
    path: arrived.path,
    query,
    headers: stringHeaders(arrived.headers),
    contentType: arrived.headers['content-type'],
    body: raw,
    ip: arrived.ip,
  });
  // Form and JSON bodies pass the same checks as the query string (repeats, lengths, control
  // characters): flat ones as parameters, nested ones with the same limits at every depth.
  const body = request.body;
  if (body !== null && typeof body === 'object') {
    const hasNested = Array.isArray(body) || Object.values(body as Record<string, unknown>).some((v) => v !== null && typeof v === 'object');
    if (!hasNested) singleValuedParams(body, paramLimits);
    else nestedParams(body, paramLimits);
  }
  const logged: Record<string, unknown> = { ...query };
  if (body && typeof body === 'object') logged.body = body;
  return { request, logged };
}

function stringHeaders(headers: IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string' && !GUARD_HEADERS.includes(name)) out[name] = value;
  return out;
}
