import type { RetryPolicy } from '@app/common';

export interface BackoffOptions {
  /** how the delay grows: the catalogue's retry policy for USDT_ERR_400 */
  policy: RetryPolicy;
  baseMs: number;
  maxMs: number;
}

/**
 * Delay before retry number `attempt` (0 = the first retry). Exponential or linear growth, capped, with
 * "equal jitter" (half fixed, half random) so that many callers failing together do not retry in lockstep
 * and still never retry immediately. A server's Retry-After wins when it asks for longer (up to the cap).
 */
export function backoffDelay(
  attempt: number,
  options: BackoffOptions,
  retryAfterMs?: number,
  random: () => number = Math.random,
): number {
  const growth = options.policy === 'linear' ? attempt + 1 : 2 ** attempt;
  const ceiling = Math.min(options.maxMs, options.baseMs * growth);
  const jittered = ceiling / 2 + random() * (ceiling / 2);
  const floor = retryAfterMs === undefined ? 0 : Math.min(options.maxMs, retryAfterMs);
  return Math.round(Math.max(jittered, floor));
}
