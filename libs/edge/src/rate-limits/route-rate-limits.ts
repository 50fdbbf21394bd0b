import { ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import { PolicyStore, RateLimitClass } from '@app/policies';

import { routeClassOf } from '../domain/route-class';
import { routeTraits } from '../http/route-traits';

/** The limit a request is counted against: its route's class and that class's policy. */
export interface RatePlan {
  rateLimitClass: RateLimitClass;
  limit: number;
  ttlMs: number;
}

/**
 * Reads the rate limit of a route's class from the policies in force (so PUT /policies applies without a
 * restart). One plan per request: the throttler asks for the limit and the window separately.
 */
@Injectable()
export class RouteRateLimits {
  private readonly logger = new Logger('RateLimits');
  private readonly plans = new WeakMap<object, Promise<RatePlan | undefined>>();
  private lastWarning = 0;

  constructor(
    private readonly reflector: Reflector,
    private readonly policies: PolicyStore,
  ) {}

  classOf(context: ExecutionContext): RateLimitClass {
    return routeClassOf(routeTraits(this.reflector, context));
  }

  /** Undefined while the policies cannot be read: the request is then not counted (see `plan`). */
  planFor(context: ExecutionContext): Promise<RatePlan | undefined> {
    const req = context.switchToHttp().getRequest<object>();
    let plan = this.plans.get(req);
    if (!plan) {
      plan = this.plan(context);
      this.plans.set(req, plan);
    }
    return plan;
  }

  async requirePlan(context: ExecutionContext): Promise<RatePlan> {
    const plan = await this.planFor(context);
    if (!plan) throw new Error('rate limit asked for a request that is not counted');
    return plan;
  }

  /**
   * Limits are a protection, not a gate: when the policies cannot be read (the database is down and this
   * instance never read them), requests pass uncounted rather than every route failing with the database.
   */
  private async plan(context: ExecutionContext): Promise<RatePlan | undefined> {
    const rateLimitClass = this.classOf(context);
    try {
      const { limit, ttlSeconds } = (await this.policies.current()).rateLimits[rateLimitClass];
      return { rateLimitClass, limit, ttlMs: ttlSeconds * 1000 };
    } catch (err) {
      if (Date.now() - this.lastWarning > 30_000) {
        this.lastWarning = Date.now();
        this.logger.warn({ err }, 'security policies unreadable: requests are not rate limited for now');
      }
      return undefined;
    }
  }
}
