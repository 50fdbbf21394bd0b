import { ErrorCode } from '@app/common';
import type { AuthUser } from '@app/auth';

import { OperationKind, Transfer } from '../domain/transfer';

export interface PolicyDraft {
  kind: OperationKind;
  wallet: string;
  to: string;
  amountRaw: bigint;
  requestedBy: AuthUser;
}

export type PolicyDecision =
  | { outcome: 'approved'; note?: string }
  | { outcome: 'pending_approval'; note?: string }
  | { outcome: 'rejected'; code: ErrorCode; message: string };

/**
 * The decision step between intake and the pipeline: compliance and approvals plug in here. It may also be
 * told when a transfer ends without paying, to release whatever it reserved (limits).
 */
export abstract class TransferPolicy {
  abstract decide(draft: PolicyDraft): Promise<PolicyDecision>;
  abstract released(transfer: Transfer): Promise<void>;
}

/** Until governance is configured: everything valid is approved at intake. */
export class ApproveEverythingPolicy extends TransferPolicy {
  decide(): Promise<PolicyDecision> {
    return Promise.resolve({ outcome: 'approved', note: 'no policy configured' });
  }

  released(): Promise<void> {
    return Promise.resolve();
  }
}

/**
 * Checked right before every signature and broadcast: the emergency stop plugs in here. Throwing stops the
 * step; the transfer stays where it is and is retried later.
 */
export abstract class OutgoingGate {
  abstract assertOpen(): Promise<void>;
}

export class AlwaysOpenGate extends OutgoingGate {
  assertOpen(): Promise<void> {
    return Promise.resolve();
  }
}
