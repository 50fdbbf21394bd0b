import { CallHandler, ExecutionContext, Injectable, Module, NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Request } from 'express';
import { Observable } from 'rxjs';

import { AppModule } from '../../apps/usdt-manager/src/app.module';

/**
 * Counts the requests that reached a route handler, per `METHOD path`. Nest runs interceptors after every
 * guard, so a request a guard refused (a bad token, a missing role) is never counted: the hostile-input
 * suites read this to prove no handler ran.
 */
export const handlerCalls = new Map<string, number>();

@Injectable()
class HandlerCallCounter implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const req = context.switchToHttp().getRequest<Request>();
    const route = `${req.method} ${(req.route as { path?: string } | undefined)?.path ?? req.path}`;
    handlerCalls.set(route, (handlerCalls.get(route) ?? 0) + 1);
    return next.handle();
  }
}

export function totalHandlerCalls(): number {
  return [...handlerCalls.values()].reduce((sum, n) => sum + n, 0);
}

/** The real application plus the counter. */
@Module({ imports: [AppModule], providers: [{ provide: APP_INTERCEPTOR, useClass: HandlerCallCounter }] })
export class HandlerCallsAppModule {}
