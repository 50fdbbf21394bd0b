import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { AppError, ErrorCode } from '@app/common';
import { AllConfig } from '@app/config';
import { OutgoingGate } from '@app/transfers';

import { EmergencyStop } from './emergency-stop';

/** Suggested pause for callers refused at intake while stopped. */
const RETRY_AFTER_SECONDS = 60;
/** How old the state behind `isOpen` may be: it only decides what the idle pipeline loops look for. */
const HINT_MAX_AGE_MS = 1000;

/**
 * The pipeline's gate: closed while the emergency stop is active. `assertOpen`, checked right before every
 * signature and send, answers from a state read at most EMERGENCY_STATE_MAX_AGE_MS ago (one read per
 * interval per instance, shared by every caller); `isOpen`, asked by every pipeline loop on every poll, may
 * answer from a state up to a second old, so idle loops do not turn into a stream of reads.
 */
@Injectable()
export class EmergencyGate extends OutgoingGate {
  private readonly maxAgeMs: number;

  constructor(
    private readonly emergency: EmergencyStop,
    config: ConfigService<AllConfig, true>,
  ) {
    super();
    this.maxAgeMs = config.getOrThrow('governance', { infer: true }).emergencyStateMaxAgeMs;
  }

  async isOpen(): Promise<boolean> {
    return !(await this.emergency.recentState(Math.max(HINT_MAX_AGE_MS, this.maxAgeMs))).active;
  }

  async assertOpen(): Promise<void> {
    if ((await this.emergency.recentState(this.maxAgeMs)).active) throw emergencyStopError();
  }
}

export function emergencyStopError(): AppError {
  return new AppError(
    ErrorCode.EMERGENCY_STOP,
    'An emergency stop is active: no transfer is accepted, signed or sent until admins resume',
    [],
    { retryAfterSeconds: RETRY_AFTER_SECONDS },
  );
}
