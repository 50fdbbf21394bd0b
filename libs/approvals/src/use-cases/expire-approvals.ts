import { Injectable, Logger } from '@nestjs/common';

import { AuditTrail } from '@app/audit';
import { Transfer, TransferPolicy, TransferRepository, TransferTransitions } from '@app/transfers';

/** Expired approvals handled per sweep; the rest wait for the next one. */
const SWEEP_BATCH = 100;

/**
 * Pending approvals nobody decided in time become `expired` and give their limits back. The move is guarded
 * by status, so a vote and the sweeper (on any instance) racing on one transfer cannot both win.
 */
@Injectable()
export class ExpireApprovals {
  private readonly logger = new Logger(ExpireApprovals.name);

  constructor(
    private readonly transfers: TransferRepository,
    private readonly transitions: TransferTransitions,
    private readonly policy: TransferPolicy,
    private readonly audit: AuditTrail,
  ) {}

  /** Expires every pending approval past its time; returns how many it expired. */
  async sweep(now = new Date()): Promise<number> {
    const due = await this.transfers.list({
      status: 'pending_approval',
      expiringBefore: now,
      limit: SWEEP_BATCH,
    });
    let expired = 0;
    for (const transfer of due) if (await this.expire(transfer)) expired++;
    return expired;
  }

  async expire(transfer: Transfer): Promise<boolean> {
    const moved = await this.transitions.expire(transfer);
    if (!moved) return false;
    await this.policy.released(moved);
    await this.audit.record({
      action: 'approval.expired',
      subject: { type: 'transfer', id: transfer.id },
      actor: { id: 'system:approvals', roles: [] },
      before: { status: 'pending_approval' },
      after: { status: 'expired', expiresAt: transfer.governance?.expiresAt },
    });
    this.logger.log({ transferId: transfer.id }, 'approval expired');
    return true;
  }
}
