import { applyDecorators, createParamDecorator, SetMetadata, StreamableFile, UseInterceptors, type ExecutionContext } from '@nestjs/common';
import type { z, ZodTypeAny } from 'zod';
import { API_DOC } from './api-doc';
import { ContractInterceptor, CONTRACT_INPUT, type ContractInput } from './contract.interceptor';
import type { RouteContract } from './route-contract';

/** What a handler may return for a response schema: the schema's input (before JSON turns dates into strings), or a file (CSV). */
type Answer<R extends ZodTypeAny> = z.input<R> | StreamableFile | Promise<z.input<R> | StreamableFile>;

/**
 * `@ApiRoute({ summary, body: createNetworkSchema, response: networkView })` on a handler. The handler
 * reads the validated parts with `@Valid('body')` (`@Valid('query')`, `@Valid('params')`), typed by
 * `z.output<typeof schema>`; a handler that returns something its response schema does not describe
 * does not compile.
 */
export function ApiRoute<R extends ZodTypeAny>(contract: RouteContract<R>) {
  const decorate = applyDecorators(SetMetadata(API_DOC, contract), UseInterceptors(ContractInterceptor));
  return <H extends (...args: never[]) => Answer<R>>(target: object, key: string | symbol, descriptor: TypedPropertyDescriptor<H>): void => {
    decorate(target, key, descriptor);
  };
}

/** The validated (parsed, defaulted, transformed) part of the request a route's contract declares. */
export const Valid = createParamDecorator((part: keyof ContractInput, context: ExecutionContext): unknown => {
  const input = context.switchToHttp().getRequest<Record<string, unknown>>()[CONTRACT_INPUT] as ContractInput | undefined;
  if (!input || !(part in input)) throw new Error(`@Valid('${part}') used on a route whose @ApiRoute declares no ${part} schema`);
  return input[part];
});
