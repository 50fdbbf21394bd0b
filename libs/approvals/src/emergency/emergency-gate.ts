import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';
import { OutgoingGate } from '@app/transfers';

import { EmergencyStop } from './emergency-stop';

/** Suggested pause for callers refused at intake while stopped. */
const RETRY_AFTER_SECONDS = 60;

/** The pipeline's gate: closed while the emergency stop is active. */
@Injectable()
export class EmergencyGate extends OutgoingGate {
  constructor(private readonly emergency: EmergencyStop) {
    super();
  }

  async isOpen(): Promise<boolean> {
    return !(await this.emergency.state()).active;
  }

  async assertOpen(): Promise<void> {
    if (!(await this.isOpen())) throw emergencyStopError();
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
