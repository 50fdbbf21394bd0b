import { createHash } from 'node:crypto';

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
