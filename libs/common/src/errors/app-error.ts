import { ErrorCode } from './error-codes';

/** One problem with one part of a request, e.g. `{ field: 'amount', message: 'must be > 0' }`. */
export interface ErrorDetail {
  field?: string;
  message: string;
  [key: string]: unknown;
}

/**
 * The only error type that carries a catalogue code. Its message is shown to the caller, so it must never
 * contain a secret or an internal detail; put those in `cause`, which is logged but never returned.
 */
export class AppError extends Error {
  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details: ErrorDetail[] = [],
    options?: { cause?: unknown; retryAfterSeconds?: number },
  ) {
    super(message ?? code, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.retryAfterSeconds = options?.retryAfterSeconds;
  }

  readonly retryAfterSeconds?: number;
}
