import type { INestApplication } from '@nestjs/common';
import { checkInputTree, type TreeCheck } from '@postwire/security';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ErrorBody } from './error-codes';

/** The pixel answers its GIF whatever it is sent; it reads its parameters with the same rules and records nothing when they fail. */
const PIXEL = /^\/pixel\.gif(?:\?|$)/;
/** Postback bodies are checked where the adapter's limits are known (postback-request.ts); their path and query are checked here. */
const POSTBACK = /^\/postback(?:[/?]|$)/;

const REASONS: Record<string, string> = {
  forbidden_key: 'is not an allowed name',
  key_too_long: 'name is too long',
  value_too_long: 'value is too long',
  control_character: 'contains control characters (NUL, line breaks, escapes)',
  invalid_utf8: 'is not valid UTF-8 (lone surrogate, or bytes that were not UTF-8)',
  not_a_finite_number: 'must be a finite number',
  too_deep: 'is nested too deeply',
};

/**
 * The one input-normalising layer every route passes, installed as a Fastify `preValidation`
 * hook (after body parsing, before guards and handlers): path parameters, the query string and the
 * JSON body, at every depth, must be clean text (no NUL or other control characters, no lone
 * surrogates, no U+FFFD left by bytes that were not UTF-8), numbers finite, no prototype keys (a
 * JSON body has already passed body-parsers.ts: exact numbers, no key given twice). A refusal is a 400 naming the parameter by its path, so
 * bad input never reaches a zod schema, a query or a header as something PostgreSQL or Node
 * would choke on (a 500) or store as U+FFFD.
 */
export function installInputGuard(
  app: INestApplication,
  onRefused?: (req: FastifyRequest, answer: { errorCode: string; httpStatus: number; param?: string }) => void,
): void {
  const fastify = app.getHttpAdapter().getInstance() as FastifyInstance;
  fastify.addHook('preValidation', async (req: FastifyRequest, reply: FastifyReply) => {
    if (PIXEL.test(req.url)) return;
    const problem = findProblem(req);
    if (!problem) return;
    onRefused?.(req, { errorCode: 'bad_parameter', httpStatus: 400, param: problem.param });
    return reply
      .code(400)
      .header('cache-control', 'no-store')
      .header('content-type', 'application/json; charset=utf-8')
      .send(JSON.stringify({ error: 'bad_parameter', param: problem.param, message: `${problem.param}: ${problem.message}` } satisfies ErrorBody));
  });
}

function findProblem(req: FastifyRequest): { param: string; message: string } | undefined {
  const failed = (check: TreeCheck) => (check.ok ? undefined : { param: check.path, message: REASONS[check.reason] ?? check.reason });
  const inParams = failed(checkInputTree(req.params ?? {}));
  if (inParams) return inParams;
  const inQuery = failed(checkInputTree(req.query ?? {}));
  if (inQuery) return inQuery;
  // JSON bodies were parsed by body-parsers.ts (exact numbers, no repeated key); postback bodies are read
  // (and checked) by readPostbackRequest with the adapter's limits.
  if (POSTBACK.test(req.url)) return undefined;
  return req.body !== undefined ? failed(checkInputTree(req.body)) : undefined;
}
