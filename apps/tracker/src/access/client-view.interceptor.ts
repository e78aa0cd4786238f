import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { ACCESS_SCOPE, shapedForScope, type AccessScope } from './access-scope';

/**
 * The one place a client's view is shaped: the JSON answer of a client-visible route loses, at any
 * depth, the cost, profit and ROI fields of a user whose view hides profit, and the traffic-source,
 * visitor and raw-postback fields the user was not allowed (`clientSees`). A route added later cannot
 * leak them by forgetting. Text answers (CSV) are the route's own job: it reads the scope and leaves
 * those columns out.
 */
@Injectable()
export class ClientViewInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const scope = context.switchToHttp().getRequest<Record<string, unknown>>()[ACCESS_SCOPE] as AccessScope | undefined;
    if (!scope || (!scope.hideProfit && scope.hiddenFields.size === 0)) return next.handle();
    // Only arrays and plain objects are rewritten: a StreamableFile (CSV) passes untouched.
    return next.handle().pipe(map((body: unknown) => shapedForScope(scope, body)));
  }
}
