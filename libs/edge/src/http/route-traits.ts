import { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Request } from 'express';

import { IS_PUBLIC_KEY, Role, ROLE_KEY } from '@app/auth';
import type { RateLimitClass } from '@app/policies';

import { RouteTraits } from '../domain/route-class';
import { RATE_LIMIT_CLASS_KEY } from './rate-limit-as.decorator';

/** The metadata of the route being called, method over controller (as the auth guards read it). */
export function routeTraits(reflector: Reflector, context: ExecutionContext): RouteTraits {
  const targets = [context.getHandler(), context.getClass()];
  return {
    isPublic: reflector.getAllAndOverride<boolean | undefined>(IS_PUBLIC_KEY, targets) === true,
    role: reflector.getAllAndOverride<Role | undefined>(ROLE_KEY, targets),
    declared: reflector.getAllAndOverride<RateLimitClass | undefined>(RATE_LIMIT_CLASS_KEY, targets),
    method: context.switchToHttp().getRequest<Request>().method,
  };
}

/**
 * Liveness and readiness probes: orchestrators call them from node addresses nobody lists, often and from
 * one address for many instances, and a refused probe restarts or drains a healthy instance. They are
 * exempt from the `all` IP allow-list and from rate limits, and never wait on the policy store. They reveal
 * only up/down.
 */
export const PROBE_PATHS: readonly string[] = ['/health/live', '/health/ready'];

export function isProbe(req: Request): boolean {
  // The matched route's path, so `/health/live/` and query strings count the same.
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' && PROBE_PATHS.includes(path);
}
