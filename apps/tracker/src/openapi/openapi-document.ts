import { RequestMethod, type Type } from '@nestjs/common';
import { GUARDS_METADATA, HTTP_CODE_METADATA, METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ZodObject, type ZodTypeAny } from 'zod';
import { zodToJsonSchema } from 'zod-to-json-schema';
import { CLIENT_VISIBLE } from '../access/client-visible';
import { ADMIN_SCOPE_REQUIRED, AdminAuthGuard } from '../access/admin-auth.guard';
import { SessionGuard } from '../access/session.guard';
import { ERROR_CODE_LIST } from '../http/error-codes';
import { API_DOC, type ApiDocOptions } from './api-doc';

type JsonSchema = Record<string, unknown>;

const METHODS: Partial<Record<RequestMethod, string>> = {
  [RequestMethod.GET]: 'get',
  [RequestMethod.POST]: 'post',
  [RequestMethod.PUT]: 'put',
  [RequestMethod.PATCH]: 'patch',
  [RequestMethod.DELETE]: 'delete',
};

/** JSON Schema (2019-09, which OpenAPI 3.1 accepts) of what a zod schema accepts as input. */
export function jsonSchemaOf(schema: ZodTypeAny): JsonSchema {
  // Typed loosely on purpose: zod-to-json-schema's generic over the schema type runs tsc out of depth.
  const out = (zodToJsonSchema as (s: unknown, o: unknown) => unknown)(schema, {
    target: 'jsonSchema2019-09',
    $refStrategy: 'none',
    effectStrategy: 'input',
    pipeStrategy: 'input',
  }) as JsonSchema;
  delete out.$schema;
  return out;
}

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error', 'message'],
  properties: {
    error: { type: 'string', enum: ERROR_CODE_LIST, description: 'stable code a program branches on; docs/api-errors.md says what each means' },
    message: { type: 'string' },
    param: { type: 'string', description: 'the parameter at fault (400)' },
  },
};
const errorResponse = (description: string) => ({ description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } });

const joinPath = (...parts: string[]) =>
  '/' +
  parts
    .flatMap((p) => p.split('/'))
    .filter(Boolean)
    .join('/');

/**
 * The OpenAPI 3.1 document of every `/api` route of these controllers, built from the routes' own
 * Nest metadata and the zod schemas in their `@ApiRoute()`; never written by hand.
 */
export function buildOpenApiDocument(controllers: readonly Type[], info: { version: string }): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const controller of controllers) {
    const base = String(Reflect.getMetadata(PATH_METADATA, controller) ?? '');
    const classGuards: unknown[] = Reflect.getMetadata(GUARDS_METADATA, controller) ?? [];
    const proto = controller.prototype as Record<string, unknown>;
    for (const name of Object.getOwnPropertyNames(proto)) {
      const handler = proto[name];
      if (name === 'constructor' || typeof handler !== 'function') continue;
      const method = METHODS[Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod];
      const routePath = Reflect.getMetadata(PATH_METADATA, handler) as string | undefined;
      if (!method || routePath === undefined) continue;
      const path = joinPath(base, routePath);
      if (!path.startsWith('/api/') || path.startsWith('/api/docs')) continue;
      const doc = (Reflect.getMetadata(API_DOC, handler) ?? {}) as Partial<ApiDocOptions>;
      const guards = [...classGuards, ...((Reflect.getMetadata(GUARDS_METADATA, handler) as unknown[]) ?? [])];
      const adminOnly = Boolean(Reflect.getMetadata(ADMIN_SCOPE_REQUIRED, handler) ?? Reflect.getMetadata(ADMIN_SCOPE_REQUIRED, controller));
      const clientVisible = Boolean(Reflect.getMetadata(CLIENT_VISIBLE, handler));
      const status = String(Reflect.getMetadata(HTTP_CODE_METADATA, handler) ?? (method === 'post' ? 201 : 200));
      const openApiPath = path.replace(/:([A-Za-z0-9_]+)/g, '{$1}');
      const parameters = [
        ...[...path.matchAll(/:([A-Za-z0-9_]+)/g)].map(([, param]) => ({
          name: param,
          in: 'path',
          required: true,
          schema: pathParamSchema(doc.params, param),
        })),
        ...queryParameters(doc.query),
      ];
      const roles = adminOnly
        ? 'admin only'
        : clientVisible
          ? 'admin, manager; client (its own campaigns, read-only)'
          : method === 'get'
            ? 'admin, manager, read key'
            : 'admin, manager';
      const secured = guards.includes(AdminAuthGuard) || guards.includes(SessionGuard);
      const operation: Record<string, unknown> = {
        operationId: `${controller.name.replace(/Controller$/, '')}_${name}`,
        summary: doc.summary ?? name,
        tags: [doc.tag ?? path.split('/')[2]],
        ...(guards.includes(AdminAuthGuard) ? { description: `Who may call it: ${roles}.` } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(doc.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchemaOf(doc.body) } } } } : {}),
        responses: {
          [status]:
            status === '204'
              ? { description: doc.responseDescription ?? 'Done; no content.' }
              : {
                  description: doc.responseDescription ?? 'OK',
                  content: { [doc.responseMediaType ?? 'application/json']: { schema: doc.response ? jsonSchemaOf(doc.response) : {} } },
                },
          ...(parameters.length || doc.body ? { 400: errorResponse('A parameter is wrong; `param` names it.') } : {}),
          ...(secured
            ? { 401: errorResponse('No valid API key or session.'), 403: errorResponse('Not allowed for this role or key, or the CSRF token is missing.') }
            : {}),
          ...(parameters.some((p) => p.in === 'path') ? { 404: errorResponse('Not found (or not visible to this caller).') } : {}),
        },
        ...(guards.includes(AdminAuthGuard)
          ? { security: [{ bearer: [] }, { apiKey: [] }, { session: [] }] }
          : guards.includes(SessionGuard)
            ? { security: [{ session: [] }] }
            : {}),
      };
      paths[openApiPath] = { ...paths[openApiPath], [method]: operation };
    }
  }
  const sortedPaths = Object.fromEntries(
    Object.keys(paths)
      .sort()
      .map((p) => [p, Object.fromEntries(Object.entries(paths[p]).sort(([a], [b]) => a.localeCompare(b)))]),
  );
  return {
    openapi: '3.1.0',
    info: {
      title: 'Postwire admin API',
      version: info.version,
      description:
        'The admin API of Postwire. Scripts authenticate with an API key (`Authorization: Bearer <key>` or `X-API-Key`); the console with the `pw_session` cookie from `POST /api/auth/login`, and sends the `X-CSRF-Token` it was given on every request but GET.',
    },
    paths: sortedPaths,
    components: {
      schemas: { Error: errorSchema },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An admin or read API key.' },
        apiKey: { type: 'apiKey', in: 'header', name: 'X-API-Key' },
        session: { type: 'apiKey', in: 'cookie', name: 'pw_session', description: 'Console session; writes also need the X-CSRF-Token header.' },
      },
    },
  };
}

/** A path parameter's JSON schema: from the route's `params` schema when it declares one, else a string. */
function pathParamSchema(schema: ZodTypeAny | undefined, name: string): JsonSchema {
  const properties = (schema ? jsonSchemaOf(schema).properties : undefined) as Record<string, JsonSchema> | undefined;
  return properties?.[name] ?? { type: 'string' };
}

function queryParameters(schema: ZodTypeAny | undefined): Array<{ name: string; in: string; required: boolean; schema: JsonSchema }> {
  if (!schema) return [];
  const json = jsonSchemaOf(schema);
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required as string[] | undefined) ?? []);
  if (!(schema instanceof ZodObject) && !json.properties) return [];
  return Object.entries(properties).map(([name, prop]) => ({ name, in: 'query', required: required.has(name), schema: prop }));
}
