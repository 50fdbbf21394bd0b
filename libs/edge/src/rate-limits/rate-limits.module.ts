import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { getOptionsToken, getStorageToken, ThrottlerModuleOptions } from '@nestjs/throttler';

import { RateLimitGuard } from './rate-limit.guard';
import { RateLimitRedis } from './rate-limit-redis';
import { RateLimitStorage } from './rate-limit-storage';
import { RouteRateLimits } from './route-rate-limits';

/**
 * @nestjs/throttler wired by hand instead of ThrottlerModule.forRoot, so that its options can use our
 * providers: one throttler whose limit and window are resolved per request from the route's class.
 */
@Module({
  providers: [
    RouteRateLimits,
    RateLimitRedis,
    RateLimitStorage,
    { provide: getStorageToken(), useExisting: RateLimitStorage },
    {
      provide: getOptionsToken(),
      inject: [RouteRateLimits],
      useFactory: (limits: RouteRateLimits): ThrottlerModuleOptions => ({
        throttlers: [
          {
            // 'default' keeps the plain X-RateLimit-Limit/-Remaining/-Reset header names.
            name: 'default',
            limit: async (context) => (await limits.requirePlan(context)).limit,
            ttl: async (context) => (await limits.requirePlan(context)).ttlMs,
          },
        ],
      }),
    },
    { provide: APP_GUARD, useClass: RateLimitGuard },
  ],
})
export class RateLimitsModule {}
