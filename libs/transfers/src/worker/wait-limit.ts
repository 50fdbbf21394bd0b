import { ErrorCode } from '@app/common';

import { ProblemRecord } from '../domain/transfer';

/**
 * Waits that end by themselves (funds arrive, the issuer unpauses) but must not last for ever: a payout
 * queued for days and then paid surprises everyone, and its reserved limits block other payouts meanwhile.
 * Waits for admins (emergency stop, disabled wallet) are not on the clock: they end when admins decide.
 */
export const TIMED_WAIT_CODES: readonly ErrorCode[] = [
  ErrorCode.INSUFFICIENT_USDT,
  ErrorCode.INSUFFICIENT_FEE_RESOURCES,
  ErrorCode.CONTRACT_PAUSED,
];

export type WaitOutcome =
  { wait: ProblemRecord; fail?: undefined } | { fail: ProblemRecord; wait?: undefined };

/**
 * What to do with a transfer that is not ready yet. Its wait started when it first waited on the clock, and
 * moving between timed reasons (not enough USDT, then not enough TRX) does not restart it; the record keeps
 * that start as `at` (the view's `waiting.since`). Past `maxWaitMs` (0: no limit) it fails with the code it
 * was waiting for.
 */
export function waitOutcome(
  previous: ProblemRecord | undefined,
  current: ProblemRecord,
  maxWaitMs: number,
  now = current.at,
): WaitOutcome {
  const timed = TIMED_WAIT_CODES.includes(current.code);
  const since =
    timed && previous && TIMED_WAIT_CODES.includes(previous.code) ? new Date(previous.at) : current.at;
  const waitedMs = now.getTime() - since.getTime();
  if (timed && maxWaitMs > 0 && waitedMs >= maxWaitMs) {
    return {
      fail: {
        code: current.code,
        message: `gave up after waiting ${Math.round(waitedMs / 1000)} s (TRANSFER_MAX_WAIT_MS): ${current.message}`,
        at: now,
      },
    };
  }
  return { wait: { ...current, at: since } };
}
