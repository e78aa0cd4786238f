import { Reflector } from '@nestjs/core';
import type { ExecutionContext } from '@nestjs/common';
import { firstValueFrom, of } from 'rxjs';
import { z } from 'zod';
import { ApiError } from '../http/api-error';
import { API_DOC } from './api-doc';
import { CONTRACT_INPUT, ContractInterceptor } from './contract.interceptor';

/** A route's handler carrying a contract, and a request for it, as Nest would hand them to the interceptor. */
function route(contract: object, request: Record<string, unknown>) {
  const handler = function create() {};
  Reflect.defineMetadata(API_DOC, contract, handler);
  class ExampleController {}
  const context = {
    getHandler: () => handler,
    getClass: () => ExampleController,
    switchToHttp: () => ({ getRequest: () => request }),
  } as unknown as ExecutionContext;
  return context;
}

describe('ContractInterceptor', () => {
  const interceptor = new ContractInterceptor(new Reflector());
  const body = z.object({ name: z.string().min(1), limit: z.coerce.number().default(10) }).strict();
  const response = z.object({ id: z.string(), createdAt: z.date() }).strict();

  it('hands the handler the parsed body, defaults applied', async () => {
    const request: Record<string, unknown> = { body: { name: 'A' } };
    const answer = { id: '1', createdAt: new Date() };
    const result = await firstValueFrom(interceptor.intercept(route({ summary: 's', body, response }, request), { handle: () => of(answer) }));
    expect(request[CONTRACT_INPUT]).toEqual({ body: { name: 'A', limit: 10 } });
    expect(result).toBe(answer);
  });

  it('refuses a bad body with a 400 naming the parameter, before the handler runs', () => {
    const handle = jest.fn(() => of({}));
    const call = () => interceptor.intercept(route({ summary: 's', body, response }, { body: { name: '' } }), { handle });
    expect(call).toThrow(ApiError);
    try {
      call();
    } catch (error) {
      expect((error as ApiError).getResponse()).toMatchObject({ error: 'bad_parameter', param: 'name' });
    }
    expect(handle).not.toHaveBeenCalled();
  });

  it('fails (500) when the answer drifts from the response schema under NODE_ENV=test, naming the field', async () => {
    expect(process.env.NODE_ENV).toBe('test');
    const context = route({ summary: 's', response }, {});
    const drifted = interceptor.intercept(context, { handle: () => of({ id: '1', createdAt: new Date(), extra: true }) });
    await expect(firstValueFrom(drifted)).rejects.toThrow(/ExampleController\.create answered outside its response schema/);
    const missing = interceptor.intercept(context, { handle: () => of({ id: '1' }) });
    await expect(firstValueFrom(missing)).rejects.toThrow(/createdAt/);
  });
});
