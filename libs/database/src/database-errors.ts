import { AppError, ErrorCode } from '@app/common';

const DUPLICATE_KEY = 11000;

/** A unique index refused the write (E11000): on both engines this is how "someone else got there first" shows. */
export function isDuplicateKeyError(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === DUPLICATE_KEY;
}

/**
 * Wraps a driver failure as USDT_ERR_600 naming what was unavailable; the cause is kept for the log only.
 * AppErrors pass through unchanged.
 */
export function databaseUnavailable(err: unknown, what: string): AppError {
  if (err instanceof AppError) return err;
  return new AppError(ErrorCode.DATABASE_UNAVAILABLE, `${what} unavailable`, [], { cause: err });
}
