import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { ACCESS_SCOPE, withoutProfit, type AccessScope } from './access-scope';

/**
 * For a user whose view hides profit, the JSON answer of a client-visible route loses its cost, profit
 * and ROI fields at any depth, so a route added later cannot leak them by forgetting. Text
 * answers (CSV) are the route's own job: it reads `scope.hideProfit` and leaves those columns out.
 */
@Injectable()
export class HideProfitInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scope = context.switchToHttp().getRequest<Record<string, unknown>>()[ACCESS_SCOPE] as AccessScope | undefined;
    if (!scope?.hideProfit) return next.handle();
    // withoutProfit only rewrites arrays and plain objects: a StreamableFile (CSV) passes untouched.
    return next.handle().pipe(map((body: unknown) => withoutProfit(body)));
  }
}
