import { Injectable, Logger, StreamableFile, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { map, type Observable } from 'rxjs';
import type { ZodTypeAny } from 'zod';
import { validate } from '../http/validate';
import { API_DOC } from './api-doc';
import type { RouteContract } from './route-contract';

/** Where the validated request parts wait for `@Valid()`. */
export const CONTRACT_INPUT = 'postwireContractInput';
export type ContractInput = Partial<Record<'params' | 'query' | 'body', unknown>>;

/**
 * Checks the answers against their schemas when `NODE_ENV=test` (every e2e run), so a handler whose
 * answer drifts from its declared schema fails the test that calls it with a 500 naming the field.
 * Production trusts the compile-time check and spends nothing on it.
 */
const CHECK_RESPONSES = process.env.NODE_ENV === 'test';

/** Validates the request parts a route's {@link RouteContract} declares, before the handler runs. */
@Injectable()
export class ContractInterceptor implements NestInterceptor {
  private readonly logger = new Logger('Contract');

  constructor(private readonly reflector: Reflector) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const contract = this.reflector.get<RouteContract<ZodTypeAny> | undefined>(API_DOC, context.getHandler());
    if (!contract) return next.handle();
    const req = context.switchToHttp().getRequest<Record<string, unknown> & { params?: unknown; query?: unknown; body?: unknown }>();
    const input: ContractInput = {};
    // Path parameters first: a wrong id is the first thing to report.
    if (contract.params) input.params = validate(contract.params, req.params);
    if (contract.query && !contract.queryCheckedByHandler) input.query = validate(contract.query, req.query);
    if (contract.body) input.body = validate(contract.body, req.body);
    req[CONTRACT_INPUT] = input;
    if (!CHECK_RESPONSES) return next.handle();
    return next.handle().pipe(map((answer: unknown) => this.checked(contract, answer, context)));
  }

  private checked(contract: RouteContract<ZodTypeAny>, answer: unknown, context: ExecutionContext): unknown {
    if (answer instanceof StreamableFile || (contract.responseMediaType && typeof answer === 'string')) return answer;
    const result = contract.response.safeParse(answer);
    if (result.success) return answer;
    const where = `${context.getClass().name}.${context.getHandler().name}`;
    const issues = result.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || '(answer)'}: ${i.message}`);
    this.logger.error(`${where} answered outside its response schema: ${issues.join('; ')}`);
    throw new Error(`${where} answered outside its response schema: ${issues.join('; ')}`);
  }
}
