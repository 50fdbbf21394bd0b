import { SetMetadata } from '@nestjs/common';

import type { RateLimitClass } from '@app/policies';

export const RATE_LIMIT_CLASS_KEY = 'edge:rateLimitClass';

/**
 * Puts a route (or controller) in a rate-limit class explicitly, over the class derived from its role and
 * method (see `routeClassOf`).
 */
export const RateLimitAs = (rateLimitClass: RateLimitClass) =>
  SetMetadata(RATE_LIMIT_CLASS_KEY, rateLimitClass);
