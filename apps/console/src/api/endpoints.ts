import createClient from 'openapi-fetch';
import { ApiError, csrfHeader, type ErrorBody } from './client';
import type { paths } from './schema';

/**
 * The writes of the console, typed from the OpenAPI document (`npm run openapi` writes openapi.json,
 * `openapi-typescript` makes ./schema.d.ts from it): a request body the server's schema would refuse
 * does not compile.
 */
const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use({
  onRequest({ request }) {
    for (const [name, value] of Object.entries(csrfHeader(request.method))) request.headers.set(name, value);
    return request;
  },
});

type JsonBody<P extends keyof paths, M extends 'post' | 'put' | 'patch'> = paths[P][M] extends { requestBody?: { content: { 'application/json': infer B } } }
  ? B
  : never;

async function unwrap<T>(call: Promise<{ data?: unknown; error?: unknown; response: Response }>): Promise<T> {
  let result: Awaited<typeof call>;
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'network_error', 'The server cannot be reached. Check your connection and that Postwire is running.');
  }
  if (!result.response.ok) {
    const body = (result.error ?? {}) as Partial<ErrorBody>;
    // The server's message already starts with the parameter ("url: must be…"); prefix it only where it does not.
    const message =
      body.param && !body.message?.startsWith(`${body.param}: `)
        ? `${body.param}: ${body.message ?? 'is not valid'}`
        : (body.message ?? `The server answered ${result.response.status}.`);
    throw new ApiError(result.response.status, body.error ?? `http_${result.response.status}`, message, body.param);
  }
  return result.data as T;
}

export const endpoints = {
  createNetwork: <T>(body: JsonBody<'/api/networks', 'post'>) => unwrap<T>(client.POST('/api/networks', { body })),
  createOffer: <T>(body: JsonBody<'/api/offers', 'post'>) => unwrap<T>(client.POST('/api/offers', { body })),
  createTrafficSource: <T>(body: JsonBody<'/api/traffic-sources', 'post'>) => unwrap<T>(client.POST('/api/traffic-sources', { body })),
  createCampaign: <T>(body: JsonBody<'/api/campaigns', 'post'>) => unwrap<T>(client.POST('/api/campaigns', { body })),
  createUser: <T>(body: JsonBody<'/api/users', 'post'>) => unwrap<T>(client.POST('/api/users', { body })),
  createApiKey: <T>(body: JsonBody<'/api/api-keys', 'post'>) => unwrap<T>(client.POST('/api/api-keys', { body })),
  updateNetwork: <T>(id: string, body: JsonBody<'/api/networks/{id}', 'patch'>) =>
    unwrap<T>(client.PATCH('/api/networks/{id}', { params: { path: { id } }, body })),
  updateOffer: <T>(id: string, body: JsonBody<'/api/offers/{id}', 'patch'>) => unwrap<T>(client.PATCH('/api/offers/{id}', { params: { path: { id } }, body })),
  updateTrafficSource: <T>(id: string, body: JsonBody<'/api/traffic-sources/{id}', 'patch'>) =>
    unwrap<T>(client.PATCH('/api/traffic-sources/{id}', { params: { path: { id } }, body })),
  updateCampaign: <T>(id: string, body: JsonBody<'/api/campaigns/{id}', 'patch'>) =>
    unwrap<T>(client.PATCH('/api/campaigns/{id}', { params: { path: { id } }, body })),
  updateUser: <T>(id: string, body: JsonBody<'/api/users/{id}', 'patch'>) => unwrap<T>(client.PATCH('/api/users/{id}', { params: { path: { id } }, body })),
  updateApiKey: <T>(id: string, body: JsonBody<'/api/api-keys/{id}', 'patch'>) =>
    unwrap<T>(client.PATCH('/api/api-keys/{id}', { params: { path: { id } }, body })),
  putCurrencyRates: <T>(body: JsonBody<'/api/currency-rates', 'put'>) => unwrap<T>(client.PUT('/api/currency-rates', { body })),
  testPostback: <T>(id: string, body: JsonBody<'/api/networks/{id}/test-postback', 'post'>) =>
    unwrap<T>(client.POST('/api/networks/{id}/test-postback', { params: { path: { id } }, body })),
  testDelivery: <T>(id: string, body: JsonBody<'/api/traffic-sources/{id}/test-delivery', 'post'>) =>
    unwrap<T>(client.POST('/api/traffic-sources/{id}/test-delivery', { params: { path: { id } }, body })),
};
