import { ErrorCode } from '@app/common';
import type { AuthUser } from '@app/auth';

import { GovernanceRecord } from '../domain/governance';
import { OperationKind, Transfer } from '../domain/transfer';

export interface PolicyDraft {
  /** The id the transfer will have: reservations the policy takes are tied to it. */
  transferId: string;
  kind: OperationKind;
  wallet: string;
  to: string;
  amountRaw: bigint;
  requestedBy: AuthUser;
  at: Date;
}

/** Approved or held for approval, with the record of why (stored on the transfer); or refused outright. */
export type PolicyDecision =
  | { outcome: 'approved' | 'pending_approval'; governance: GovernanceRecord; note?: string }
  | { outcome: 'rejected'; code: ErrorCode; message: string };

/** Every item of one batch request, decided together: the batch workflow looks at the whole batch total. */
export interface BatchDraft {
  batchId: string;
  /** Total of the whole batch, including items already stored by an interrupted earlier attempt. */
  totalRaw: bigint;
  items: PolicyDraft[];
}

/** What the policy needs to give back what it reserved for a transfer that will not pay. */
export type ReleasableTransfer = Pick<Transfer, 'id' | 'governance'>;

/**
 * The decision step between intake and the pipeline, bound by the governance module (compliance and
 * approvals). It is told when a transfer ends without paying (or was never stored), to release whatever it
 * reserved (limits).
 */
export abstract class TransferPolicy {
  abstract decide(draft: PolicyDraft): Promise<PolicyDecision>;
  /**
   * All items approved or held, in order; or an AppError naming every refused item (`details[].item`), in
   * which case nothing stays reserved.
   */
  abstract decideBatch(batch: BatchDraft): Promise<Array<Extract<PolicyDecision, { governance: unknown }>>>;
  abstract released(transfer: ReleasableTransfer): Promise<void>;
}

/**
 * Checked right before every signature and broadcast: the emergency stop plugs in here. `assertOpen` throws
 * USDT_ERR_703 while stopped; the transfer stays where it is and is looked at again on the next poll.
 */
export abstract class OutgoingGate {
  /** A hint for what the pipeline looks for; may be slightly stale. Only `assertOpen` guards money. */
  abstract isOpen(): Promise<boolean>;
  abstract assertOpen(): Promise<void>;
}
