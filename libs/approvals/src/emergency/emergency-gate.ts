import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';
import { OutgoingGate } from '@app/transfers';

import { EmergencyStop } from './emergency-stop';

/** Suggested pause for callers refused at intake while stopped. */
const RETRY_AFTER_SECONDS = 60;
/** How old the state behind `isOpen` may be: it only decides what the idle pipeline loops look for. */
const HINT_MAX_AGE_MS = 1000;

/**
 * The pipeline's gate: closed while the emergency stop is active. `assertOpen`, checked right before every
 * signature and send, always reads the database; `isOpen`, asked by every pipeline loop on every poll, may
 * answer from a state up to a second old, so idle loops do not turn into a stream of reads.
 */
@Injectable()
export class EmergencyGate extends OutgoingGate {
  private hint?: { open: boolean; readAt: number };

  constructor(private readonly emergency: EmergencyStop) {
    super();
  }

  async isOpen(): Promise<boolean> {
    if (this.hint && Date.now() - this.hint.readAt < HINT_MAX_AGE_MS) return this.hint.open;
    return this.readOpen();
  }

  async assertOpen(): Promise<void> {
    if (!(await this.readOpen())) throw emergencyStopError();
  }

  private async readOpen(): Promise<boolean> {
    const open = !(await this.emergency.state()).active;
    this.hint = { open, readAt: Date.now() };
    return open;
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
