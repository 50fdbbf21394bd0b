import { createHash } from 'node:crypto';

import { AppError, ErrorCode } from '@app/common';

/**
 * A stable fingerprint of what was asked, used to tell an idempotent replay (same key, same request) from a
 * reused key (same key, different request). Keys are sorted so field order does not matter.
 */
export function requestHash(kind: string, body: Record<string, unknown>): string {
  const canonical = JSON.stringify(
    Object.keys(body)
      .sort()
      .filter((key) => body[key] !== undefined)
      .map((key) => [key, body[key]]),
  );
  return createHash('sha256').update(kind).update('\n').update(canonical).digest('hex');
}

/** Same Idempotency-Key, different request: refused (USDT_ERR_106), naming the transfer the key belongs to. */
export function assertSameRequest(earlier: { id: string; requestHash: string }, hash: string): void {
  if (earlier.requestHash === hash) return;
  throw new AppError(
    ErrorCode.IDEMPOTENCY_KEY_REUSED,
    'This Idempotency-Key was used for a different request',
    [{ field: 'Idempotency-Key', message: `already used by transfer ${earlier.id}`, transferId: earlier.id }],
  );
}
