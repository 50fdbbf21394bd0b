import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode, parseUsdtAmount } from '@app/common';
import { ResolveWallet } from '@app/wallets';

import { requestHash } from '../domain/request-hash';
import { OperationKind, Transfer } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { TransferPolicy } from '../policy/transfer-policy';
import { TransferEvents } from '../worker/transfer-events';

export interface OperationRequest {
  kind: OperationKind;
  caller: AuthUser;
  idempotencyKey: string;
  /** Recipient of a transfer or spender of an approve. */
  to: string;
  amount: string;
  wallet?: string;
  memo?: string;
  reference?: string;
}

export interface OperationResult {
  transfer: Transfer;
  /** True when the Idempotency-Key had already created this transfer: nothing new was done. */
  replay: boolean;
}

/**
 * Intake for everything that moves money (transfers and TRC-20 approves): validates, applies the caller-scoped
 * Idempotency-Key, asks the policy, and persists. The unique index on the key makes concurrent identical
 * requests create exactly one transfer; the losers read and replay it.
 */
@Injectable()
export class RequestOperation {
  private readonly logger = new Logger(RequestOperation.name);

  constructor(
    private readonly transfers: TransferRepository,
    private readonly wallets: ResolveWallet,
    private readonly policy: TransferPolicy,
    private readonly events: TransferEvents,
  ) {}

  async execute(request: OperationRequest): Promise<OperationResult> {
    const amountRaw = parseUsdtAmount(request.amount);
    const scopedKey = `${request.caller.sub}:${request.idempotencyKey}`;
    const hash = requestHash(request.kind, {
      to: request.to,
      amountRaw: amountRaw.toString(),
      wallet: request.wallet,
      memo: request.memo,
      reference: request.reference,
    });

    const earlier = await this.transfers.findByIdempotencyKey(scopedKey);
    if (earlier) return this.replay(earlier, hash);

    const wallet = request.wallet ? await this.namedWallet(request.wallet) : await this.wallets.getDefault();
    if (wallet.address === request.to) {
      throw new AppError(ErrorCode.INVALID_ADDRESS, 'to must differ from the paying wallet', [
        { field: 'to', message: 'is the paying wallet' },
      ]);
    }
    const id = randomUUID();
    const decision = await this.policy.decide({
      transferId: id,
      kind: request.kind,
      wallet: wallet.address,
      to: request.to,
      amountRaw,
      requestedBy: request.caller,
      at: new Date(),
    });
    if (decision.outcome === 'rejected') throw new AppError(decision.code, decision.message);

    let inserted: Transfer | 'duplicate';
    try {
      inserted = await this.transfers.insert({
        id,
        kind: request.kind,
        status: decision.outcome,
        wallet: wallet.address,
        to: request.to,
        amountRaw,
        memo: request.memo,
        reference: request.reference,
        requestedBy: request.caller.sub,
        idempotencyKey: scopedKey,
        requestHash: hash,
        governance: decision.governance,
      });
    } catch (err) {
      // Never stored: what the policy reserved for it would otherwise stay taken.
      await this.policy.released({ id, governance: decision.governance });
      throw err;
    }
    if (inserted === 'duplicate') {
      // Lost a race with an identical request: the winner's transfer is the answer, and ours never existed.
      await this.policy.released({ id, governance: decision.governance });
      const winner = await this.transfers.findByIdempotencyKey(scopedKey);
      if (!winner)
        throw new AppError(ErrorCode.WRITE_CONFLICT, 'the Idempotency-Key is being used concurrently');
      return this.replay(winner, hash);
    }
    this.events.created(inserted);
    this.logger.log({ transferId: inserted.id, kind: inserted.kind, status: inserted.status }, 'accepted');
    return { transfer: inserted, replay: false };
  }

  /** A wallet the caller named that is not usable is their input error (400), not a signing failure. */
  private async namedWallet(addressOrLabel: string) {
    try {
      return await this.wallets.get(addressOrLabel);
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.SIGNING_FAILED) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, 'wallet is not a registered, enabled hot wallet', [
          { field: 'wallet', message: 'unknown or disabled' },
        ]);
      }
      throw err;
    }
  }

  private replay(earlier: Transfer, hash: string): OperationResult {
    if (earlier.requestHash !== hash) {
      throw new AppError(
        ErrorCode.IDEMPOTENCY_KEY_REUSED,
        'This Idempotency-Key was used for a different request',
        [
          {
            field: 'Idempotency-Key',
            message: `already used by transfer ${earlier.id}`,
            transferId: earlier.id,
          },
        ],
      );
    }
    return { transfer: earlier, replay: true };
  }
}
