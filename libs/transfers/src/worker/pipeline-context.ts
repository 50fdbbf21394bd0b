import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';

import { AppError, ErrorCode } from '@app/common';
import { AllConfig, TransfersConfig } from '@app/config';

import { ProblemRecord } from '../domain/transfer';

const HALTING_CODES: ReadonlySet<string> = new Set([ErrorCode.EMERGENCY_STOP, ErrorCode.WALLET_DISABLED]);

/** Settings and identity shared by the pipeline steps of one service instance. */
@Injectable()
export class PipelineContext {
  /** Unique per process: leases name their holder, so a restarted process never mistakes an old lease for its own. */
  readonly workerId = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
  readonly settings: TransfersConfig;

  constructor(config: ConfigService<AllConfig, true>) {
    this.settings = config.getOrThrow('transfers', { infer: true });
  }

  /** Exponential backoff with jitter, capped at 20x the base delay. */
  retryAt(attempt: number): Date {
    const base = this.settings.retryDelayMs;
    const delay = Math.min(base * 2 ** Math.min(attempt, 10), base * 20);
    return new Date(Date.now() + delay * (0.75 + Math.random() * 0.5));
  }

  pollAt(): Date {
    return new Date(Date.now() + this.settings.pollIntervalMs);
  }

  /**
   * A step refused by the emergency stop or by a disabled wallet is not a failure: the transfer waits, with
   * the reason on its record, and is looked at again on the next poll (no back-off), so it moves as soon as
   * admins lift the stop or enable the wallet.
   */
  haltedBy(err: unknown): ProblemRecord | undefined {
    if (!(err instanceof AppError) || !HALTING_CODES.has(err.code)) return undefined;
    return problemOf(err);
  }
}

/** The catalogue code and caller-safe message of any error, for the transfer's record. */
export function problemOf(err: unknown): ProblemRecord {
  if (err instanceof AppError) return { code: err.code, message: err.message, at: new Date() };
  return { code: ErrorCode.INTERNAL, message: 'unexpected error; see the service log', at: new Date() };
}
