import { Injectable } from '@nestjs/common';

import { AuthUser, hasRole } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';

import { isCancellable, Transfer } from '../domain/transfer';
import { TransferTransitions } from '../persistence/transfer-transitions';
import { TransferRepository } from '../persistence/transfer.repository';
import { TransferPolicy } from '../policy/transfer-policy';

/** Cancels a transfer before anything is signed: by the operator who asked for it, or by an admin. */
@Injectable()
export class CancelTransfer {
  constructor(
    private readonly transfers: TransferRepository,
    private readonly transitions: TransferTransitions,
    private readonly policy: TransferPolicy,
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
    const cancelled = await this.transitions.cancel(transfer, caller.sub, reason);
    if (!cancelled) {
      throw new AppError(
        ErrorCode.INVALID_STATE,
        'The transfer is being processed and can no longer be cancelled',
      );
    }
    await this.policy.released(cancelled);
    return cancelled;
  }
}
