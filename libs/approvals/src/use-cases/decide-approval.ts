import { Injectable, Logger } from '@nestjs/common';

import { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';
import {
  ApprovalVote,
  GovernanceRecord,
  Transfer,
  TransferPolicy,
  TransferRepository,
  TransferTransitions,
} from '@app/transfers';

import { ExpireApprovals } from './expire-approvals';

export type Decision = ApprovalVote['decision'];

/** Concurrent votes on one transfer retry their compare-and-set this many times before answering 601. */
const MAX_ATTEMPTS = 8;

/**
 * An admin's vote on a pending transfer. One reject ends it (`rejected`, limits released); approvals count
 * distinct admins, never the requester, and the quorum-reaching one releases it to the pipeline. Every vote
 * is a compare-and-set on the governance record's revision, so two admins voting at once are both counted
 * and a transfer can never be released twice. A vote on any item of a batch held as a whole
 * (`batch_transfer`) is a vote on every item of it still pending; once one of its items is rejected, the
 * others can only be rejected (a reject cut short half-way never lets the rest of the batch be paid).
 */
@Injectable()
export class DecideApproval {
  private readonly logger = new Logger(DecideApproval.name);

  constructor(
    private readonly transfers: TransferRepository,
    private readonly transitions: TransferTransitions,
    private readonly policy: TransferPolicy,
    private readonly expiry: ExpireApprovals,
    private readonly audit: AuditTrail,
  ) {}

  async execute(id: string, caller: AuthUser, decision: Decision, comment?: string): Promise<Transfer> {
    const transfer = await this.transfers.findById(id);
    if (!transfer) throw new AppError(ErrorCode.TRANSFER_NOT_FOUND);
    if (transfer.governance?.workflow !== 'batch_transfer' || !transfer.batchId) {
      return this.decideOne(id, caller, decision, comment);
    }
    const items = await this.transfers.findByBatch(transfer.batchId);
    const rejected = items.find((item) => item.status === 'rejected');
    if (decision === 'approve' && rejected) {
      throw new AppError(
        ErrorCode.INVALID_STATE,
        `The batch was rejected (transfer ${rejected.id}): its other items can only be rejected`,
      );
    }
    const undecided = items.filter(
      (item) =>
        item.status === 'pending_approval' && !item.governance?.votes.some((vote) => vote.by === caller.sub),
    );
    // Nothing left for this admin: deciding the addressed item gives the precise refusal (203/501).
    if (undecided.length === 0) return this.decideOne(id, caller, decision, comment);
    for (const item of undecided) await this.decideOne(item.id, caller, decision, comment);
    return (await this.transfers.findById(id)) ?? transfer;
  }

  private async decideOne(
    id: string,
    caller: AuthUser,
    decision: Decision,
    comment?: string,
  ): Promise<Transfer> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const transfer = await this.transfers.findById(id);
      if (!transfer) throw new AppError(ErrorCode.TRANSFER_NOT_FOUND);
      const governance = this.assertDecidable(transfer, caller);
      if (governance.expiresAt && governance.expiresAt.getTime() <= Date.now()) {
        await this.expiry.expire(transfer);
        throw new AppError(ErrorCode.INVALID_STATE, 'The approval request has expired');
      }
      const vote: ApprovalVote = { by: caller.sub, decision, at: new Date(), ...(comment && { comment }) };
      const votes = [...governance.votes, vote];
      const approvals = votes.filter((v) => v.decision === 'approve').length;
      const outcome =
        decision === 'reject' ? 'rejected' : approvals >= governance.quorum ? 'approved' : 'pending_approval';
      const note = comment ?? (outcome === 'approved' ? 'quorum reached' : 'rejected by an admin');
      const moved = await this.transitions.recordVote(transfer, governance, votes, outcome, caller.sub, note);
      if (!moved) continue; // another vote or the sweeper got there first: look again
      if (outcome === 'rejected') await this.policy.released(moved);
      await this.audit.record({
        action: `approval.${decision}`,
        subject: { type: 'transfer', id },
        before: { status: transfer.status, approvals: approvals - (decision === 'approve' ? 1 : 0) },
        after: { status: moved.status, approvals, quorum: governance.quorum },
        details: comment ? { comment } : undefined,
      });
      this.logger.log({ transferId: id, by: caller.sub, decision, status: moved.status }, 'approval vote');
      return moved;
    }
    throw new AppError(ErrorCode.WRITE_CONFLICT, 'The transfer is being decided concurrently; try again');
  }

  private assertDecidable(transfer: Transfer, caller: AuthUser): GovernanceRecord {
    const governance = transfer.governance;
    if (transfer.status !== 'pending_approval' || !governance) {
      throw new AppError(
        ErrorCode.INVALID_STATE,
        `The transfer is ${transfer.status}: there is nothing left to decide`,
      );
    }
    if (transfer.requestedBy === caller.sub) {
      throw new AppError(ErrorCode.FORBIDDEN_ROLE, 'An admin cannot decide a transfer they requested');
    }
    if (governance.votes.some((v) => v.by === caller.sub)) {
      throw new AppError(ErrorCode.INVALID_STATE, 'You already decided this transfer; another admin must');
    }
    return governance;
  }
}
