import type { Role } from '@app/auth';
import type { RateLimitClass } from '@app/policies';

/** What the rate-limit class of a route is derived from: its auth metadata and the request method. */
export interface RouteTraits {
  /** `@Public()`: reachable without a token. */
  isPublic: boolean;
  /** The role of `@Roles()`, method over controller; undefined means any authenticated caller (viewer). */
  role?: Role;
  /** HTTP method of the request. */
  method: string;
  /** `@RateLimitAs()`: a route that names its class itself. */
  declared?: RateLimitClass;
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Every route belongs to exactly one class (config/security-policies.yaml `rateLimits`):
 * - `public`: routes marked @Public (health, status, metrics, root);
 * - `admin`: routes that need the admin role (approvals, policies, compliance, audit, wallets import);
 * - `money`: state-changing routes that need the operator role (transfer, approve, batch; cancel too);
 * - `read`: every other authenticated route.
 * A route's own `@RateLimitAs()` wins over the derivation.
 */
export function routeClassOf(route: RouteTraits): RateLimitClass {
  if (route.declared) return route.declared;
  if (route.isPublic) return 'public';
  if (route.role === 'admin') return 'admin';
  if (route.role === 'operator' && !SAFE_METHODS.has(route.method.toUpperCase())) return 'money';
  return 'read';
}
