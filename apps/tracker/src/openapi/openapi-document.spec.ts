import { TRACKER_CONTROLLERS } from '../tracker.module';
import { ERROR_CODE_LIST } from '../http/error-codes';
import { API_DOC, type ApiDocOptions } from './api-doc';
import { buildOpenApiDocument, jsonSchemaOf } from './openapi-document';

type Operation = {
  summary: string;
  responses: Record<string, { content?: Record<string, { schema: Record<string, unknown> }> }>;
  operationId: string;
  requestBody?: { content: Record<string, { schema: Record<string, unknown> }> };
  parameters?: Array<{ name: string; in: string }>;
  security?: unknown[];
};

describe('the OpenAPI document of the admin API', () => {
  const doc = buildOpenApiDocument(TRACKER_CONTROLLERS, { version: 'test' }) as {
    openapi: string;
    paths: Record<string, Record<string, Operation>>;
    components: { schemas: { Error: { properties: { error: { enum: string[] } } } } };
  };
  const operations = Object.entries(doc.paths).flatMap(([path, methods]) => Object.entries(methods).map(([method, op]) => ({ path, method, op })));

  it('is OpenAPI 3.1 and has every /api route of the tracker, with path parameters in braces', () => {
    expect(doc.openapi).toBe('3.1.0');
    expect(doc.paths['/api/networks/{id}'].patch).toBeDefined();
    expect(doc.paths['/api/auth/login'].post).toBeDefined();
    expect(doc.paths['/api/users/{id}'].delete).toBeDefined();
    expect(doc.paths['/api/conversions'].get.parameters?.map((p) => p.name)).toEqual(expect.arrayContaining(['campaignId', 'limit']));
    expect(Object.keys(doc.paths).every((p) => p.startsWith('/api/') && !p.includes(':'))).toBe(true);
    expect(doc.paths['/c/{id}']).toBeUndefined();
  });

  it('documents every route with @ApiRoute (a summary of its own), so a new route cannot go undocumented', () => {
    const undocumented = operations.filter(({ op }) => op.summary === op.operationId.split('_')[1]).map(({ method, path }) => `${method} ${path}`);
    expect(undocumented).toEqual([]);
  });

  it('takes request bodies from the very schemas that validate them', () => {
    // The very schema the route's contract validates with (read from the controller, as the interceptor does).
    const networks = TRACKER_CONTROLLERS.find((c) => c.name === 'NetworksController')!;
    const contract = Reflect.getMetadata(API_DOC, (networks.prototype as Record<string, object>).create) as ApiDocOptions;
    expect(doc.paths['/api/networks'].post.requestBody?.content['application/json'].schema).toEqual(jsonSchemaOf(contract.body!));
    expect(contract.body).toBeDefined();
    const login = doc.paths['/api/auth/login'].post.requestBody?.content['application/json'].schema as { required: string[] };
    expect(login.required).toEqual(['email', 'password']);
    // Actions named by their path take no body: retry, a new secret, sign-out, an alert webhook's test, and the lifecycle verbs (pause, archive, clone…).
    const writes = operations.filter(
      ({ method, path }) =>
        (method === 'post' || method === 'patch') && !/retry|signing-secrets$|logout|\/(pause|resume|archive|restore|clone|disable|enable|test)$/.test(path),
    );
    expect(writes.filter(({ op }) => !op.requestBody).map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('marks admin routes as needing a key or session, and sign-in as open', () => {
    expect(doc.paths['/api/networks'].get.security).toEqual([{ bearer: [] }, { apiKey: [] }, { session: [] }]);
    expect(doc.paths['/api/auth/login'].post.security).toBeUndefined();
  });

  it('declares the answer of every route: a schema for each success other than 204', () => {
    const undeclared = operations.filter(({ op }) => {
      const [status, success] = Object.entries(op.responses).find(([code]) => code.startsWith('2'))!;
      if (status === '204') return false;
      const schema = Object.values(success.content ?? {})[0]?.schema;
      return !schema || Object.keys(schema).length === 0;
    });
    expect(undeclared.map(({ method, path }) => `${method} ${path}`)).toEqual([]);
  });

  it('gives the error codes as a closed enum, exactly the declared ones', () => {
    expect(doc.components.schemas.Error.properties.error.enum).toEqual(ERROR_CODE_LIST);
    expect(ERROR_CODE_LIST).toEqual(expect.arrayContaining(['bad_parameter', 'not_found', 'insufficient_scope', 'csrf_token_invalid']));
  });
});
