import { readFileSync } from 'node:fs';
import { load } from 'js-yaml';

import { ErrorCode, SuccessCode } from './error-codes';

export type RetryPolicy = 'no_retry' | 'linear' | 'exponential_backoff';

export interface CatalogueEntry {
  code: ErrorCode;
  httpStatus: number;
  message: string;
  retryPolicy: RetryPolicy;
  retryAfterSeconds?: number;
  recovery: string;
}

export interface SuccessEntry {
  code: SuccessCode;
  httpStatus: number;
  message: string;
}

const RETRY_POLICIES: readonly RetryPolicy[] = ['no_retry', 'linear', 'exponential_backoff'];

/** The error catalogue read from config/usdt-error-codes.yaml, checked entry by entry. */
export class ErrorCatalogue {
  private constructor(
    private readonly errors: ReadonlyMap<ErrorCode, CatalogueEntry>,
    private readonly successes: ReadonlyMap<SuccessCode, SuccessEntry>,
  ) {}

  static fromFile(path: string): ErrorCatalogue {
    let text: string;
    try {
      text = readFileSync(path, 'utf8');
    } catch (err) {
      throw new Error(`error catalogue ${path} cannot be read: ${(err as Error).message}`);
    }
    return ErrorCatalogue.fromYaml(text, path);
  }

  static fromYaml(text: string, source = 'error catalogue'): ErrorCatalogue {
    const doc = load(text) as { errors?: Record<string, unknown>; success?: Record<string, unknown> } | null;
    const problems: string[] = [];
    const errors = new Map<ErrorCode, CatalogueEntry>();
    const successes = new Map<SuccessCode, SuccessEntry>();
    const rawErrors = doc?.errors ?? {};
    const rawSuccess = doc?.success ?? {};

    for (const code of Object.values(ErrorCode)) {
      const raw = rawErrors[code] as Partial<CatalogueEntry> | undefined;
      if (!raw) {
        problems.push(`${code} is missing`);
        continue;
      }
      const entryProblems = checkEntry(raw, true);
      if (entryProblems.length) problems.push(`${code}: ${entryProblems.join(', ')}`);
      else errors.set(code, { ...(raw as CatalogueEntry), code });
    }
    for (const code of Object.keys(rawErrors)) {
      if (!errors.has(code as ErrorCode) && !Object.values<string>(ErrorCode).includes(code)) {
        problems.push(`${code} is not a known code`);
      }
    }
    for (const code of Object.values(SuccessCode)) {
      const raw = rawSuccess[code] as Partial<Omit<SuccessEntry, 'code'>> | undefined;
      if (!raw) {
        problems.push(`${code} is missing`);
        continue;
      }
      const entryProblems = checkEntry(raw, false);
      if (entryProblems.length) problems.push(`${code}: ${entryProblems.join(', ')}`);
      else successes.set(code, { ...(raw as SuccessEntry), code });
    }
    if (problems.length) throw new Error(`${source} is invalid: ${problems.join('; ')}`);
    return new ErrorCatalogue(errors, successes);
  }

  get(code: ErrorCode): CatalogueEntry {
    // Every ErrorCode is present: the constructor refuses a catalogue that lacks one.
    return this.errors.get(code)!;
  }

  success(code: SuccessCode): SuccessEntry {
    return this.successes.get(code)!;
  }

  all(): CatalogueEntry[] {
    return [...this.errors.values()];
  }
}

function checkEntry(raw: Partial<Omit<CatalogueEntry, 'code'>>, isError: boolean): string[] {
  const problems: string[] = [];
  if (!Number.isInteger(raw.httpStatus) || raw.httpStatus! < 100 || raw.httpStatus! > 599) {
    problems.push('httpStatus must be an HTTP status');
  }
  if (typeof raw.message !== 'string' || raw.message.length === 0) problems.push('message is required');
  if (isError) {
    if (!RETRY_POLICIES.includes(raw.retryPolicy as RetryPolicy)) {
      problems.push(`retryPolicy must be one of ${RETRY_POLICIES.join('|')}`);
    }
    if (raw.retryPolicy !== 'no_retry' && !(Number(raw.retryAfterSeconds) > 0)) {
      problems.push('retryAfterSeconds must be > 0 when retrying');
    }
    if (typeof raw.recovery !== 'string' || raw.recovery.length === 0) problems.push('recovery is required');
  }
  return problems;
}
