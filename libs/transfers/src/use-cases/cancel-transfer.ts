import { Injectable } from '@nestjs/common';

import { AuthUser, hasRole } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';

import { isCancellable, Transfer } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { TransferPolicy } from '../policy/transfer-policy';
import { TransferEvents } from '../worker/transfer-events';

/** Cancels a transfer before anything is signed: by the operator who asked for it, or by an admin. */
@Injectable()
export class CancelTransfer {
  constructor(
    private readonly transfers: TransferRepository,
    private readonly policy: TransferPolicy,
    private readonly events: TransferEvents,
  ) {}

  async execute(id: string, caller: AuthUser, reason?: string): Promise<Transfer> {
    const transfer = await this.transfers.findById(id);
    if (!transfer) throw new AppError(ErrorCode.TRANSFER_NOT_FOUND);
    if (transfer.requestedBy !== caller.sub && !hasRole(caller.roles, 'admin')) {
      throw new AppError(ErrorCode.FORBIDDEN_ROLE, 'Only the requester or an admin may cancel a transfer');
    }
    if (!isCancellable(transfer.status)) {
      throw new AppError(ErrorCode.INVALID_STATE, `A ${transfer.status} transfer can no longer be cancelled`);
    }
    // Guarded by status and by the lease being free: a worker in the middle of signing keeps the transfer.
    const cancelled = await this.transfers.transition(id, {
      from: ['pending_approval', 'approved'],
      to: 'cancelled',
      where: { $or: [{ lockedUntil: null }, { lockedUntil: { $lt: new Date() } }] },
      by: caller.sub,
      note: reason,
      unset: ['waiting'],
    });
    if (!cancelled) {
      throw new AppError(
        ErrorCode.INVALID_STATE,
        'The transfer is being processed and can no longer be cancelled',
      );
    }
    this.events.moved(cancelled, transfer.status);
    await this.policy.released(cancelled);
    return cancelled;
  }
}
