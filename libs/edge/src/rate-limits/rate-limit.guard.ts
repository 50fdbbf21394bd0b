import { ExecutionContext, Injectable } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import {
  InjectThrottlerOptions,
  InjectThrottlerStorage,
  ThrottlerGuard,
  ThrottlerLimitDetail,
  type ThrottlerModuleOptions,
  type ThrottlerStorage,
} from '@nestjs/throttler';
import type { Request } from 'express';

import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';

import { clientKey } from '../domain/ip-allowlist';
import { isProbe } from '../http/route-traits';
import { RouteRateLimits } from './route-rate-limits';

/**
 * Global, after authentication and roles (EdgeModule fixes the order): counts each request against the limit
 * of its route's class, per caller: the token's subject on authenticated routes, the client address on public
 * ones. A request over the limit gets 429 USDT_ERR_700 with Retry-After. Unauthenticated calls to protected
 * routes never get here: they keep their 401.
 */
@Injectable()
export class RateLimitGuard extends ThrottlerGuard {
  constructor(
    @InjectThrottlerOptions() options: ThrottlerModuleOptions,
    @InjectThrottlerStorage() storage: ThrottlerStorage,
    reflector: Reflector,
    private readonly limits: RouteRateLimits,
  ) {
    super(options, storage, reflector);
  }

  protected override async shouldSkip(context: ExecutionContext): Promise<boolean> {
    if (isProbe(context.switchToHttp().getRequest<Request>())) return true;
    return (await this.limits.planFor(context)) === undefined;
  }

  // `context` is optional only to match the base signature; the throttler always passes it.
  protected override getTracker(req: Record<string, unknown>, context?: ExecutionContext): Promise<string> {
    const user = req.user as AuthUser | undefined;
    const isPublic = context ? this.limits.classOf(context) === 'public' : !user;
    if (!isPublic && user?.sub) return Promise.resolve(`user:${user.sub}`);
    return Promise.resolve(`ip:${clientKey((req as unknown as Request).ip)}`);
  }

  /** One counter per caller and class, shared by every route of the class (not one per route). */
  protected override generateKey(context: ExecutionContext, tracker: string, throttlerName: string): string {
    return `usdt-rl:${throttlerName}:${this.limits.classOf(context)}:${tracker}`;
  }

  protected override async throwThrottlingException(
    context: ExecutionContext,
    detail: ThrottlerLimitDetail,
  ): Promise<void> {
    const { rateLimitClass } = await this.limits.requirePlan(context);
    const retryAfterSeconds = Math.max(1, Math.ceil(detail.timeToBlockExpire));
    throw new AppError(
      ErrorCode.RATE_LIMITED,
      `Rate limit exceeded: at most ${detail.limit} ${rateLimitClass} requests per ${Math.round(detail.ttl / 1000)} s`,
      [{ message: `retry after ${retryAfterSeconds} s`, rateLimitClass, limit: detail.limit }],
      { retryAfterSeconds },
    );
  }
}
