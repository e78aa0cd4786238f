import { buildAdapterRequest, STRICT_LIMITS, type AdapterLimits, type AdapterRequest } from '@postwire/plugin-sdk';
import { GET_SIGNATURE_PARAM, GET_TIMESTAMP_PARAM, type ParamLimits } from '@postwire/security';
import type { FastifyRequest } from 'fastify';
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
 * The postback as an adapter sees it, and the parameters to keep in the postback log. Everything is
 * checked here first (one value per parameter, lengths, control characters, body encoding); a problem
 * is a 400 naming the parameter. The postback guard reads a bare `/postback` with this same function,
 * so it finds the click id exactly as the handler will.
 *
 * `limits` are the adapter's on `/postback/:network` ({@link AdapterLimits}); the generic endpoint
 * keeps {@link STRICT_LIMITS}.
 */
export function readPostbackRequest(
  req: FastifyRequest,
  ip: string,
  limits: AdapterLimits = STRICT_LIMITS,
): { request: AdapterRequest; logged: Record<string, unknown> } {
  // Fastify answers HEAD with the GET route. A link checker or prefetcher sending HEAD must not book a conversion.
  if (req.method !== 'GET' && req.method !== 'POST') throw new ApiError('method_not_allowed', 'Postbacks are sent with GET or POST.');
  const paramLimits: ParamLimits = { maxKeys: limits.maxFields, maxValueLength: limits.maxValueLength, allowLineBreaks: limits.allowLineBreaks };
  const query = singleValuedParams(req.query, paramLimits);
  for (const name of GUARD_QUERY_PARAMS) delete query[name];
  const raw = (req as FastifyRequest & { rawBody?: Buffer }).rawBody ?? Buffer.alloc(0);
  // The HTTP server's own cap on this route is the highest any adapter may declare; this is the network's.
  if (raw.length > limits.maxBodyBytes) throw new ApiError('body_too_large', `The body is larger than the ${limits.maxBodyBytes} bytes accepted here.`);
  const request = buildAdapterRequest({
    method: req.method === 'POST' ? 'POST' : 'GET',
    path: req.url.split('?')[0],
    query,
    headers: stringHeaders(req.headers),
    contentType: req.headers['content-type'],
    body: raw,
    ip,
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

function stringHeaders(headers: FastifyRequest['headers']): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string' && !GUARD_HEADERS.includes(name)) out[name] = value;
  return out;
}
