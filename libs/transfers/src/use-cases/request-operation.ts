import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode, GroupedCalls, isDatabaseUnavailableError, parseUsdtAmount } from '@app/common';

import { assertSameRequest, requestHash } from '../domain/request-hash';
import { OperationKind, Transfer } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { PolicyDecision, TransferPolicy } from '../policy/transfer-policy';
import { PerKeyQueue } from '../worker/per-key-queue';
import { TransferEvents } from '../worker/transfer-events';
import { DestinationGuard } from './destination-guard';
import { assertNotSelf, PayingWallet } from './paying-wallet';

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
  /** A move between our own hot wallets, asked for as such. */
  internal?: boolean;
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
    private readonly payingWallet: PayingWallet,
    private readonly destinations: DestinationGuard,
    private readonly policy: TransferPolicy,
    private readonly events: TransferEvents,
  ) {}

  private readonly sameKey = new PerKeyQueue();
  /** Requests arriving together look up their keys with one query (see GroupedCalls). */
  private readonly byKey = new GroupedCalls<string, Transfer | null>(async (keys) => {
    const found = await this.transfers.findByIdempotencyKeys([...new Set(keys)]);
    const created = new Map(found.map((transfer) => [transfer.idempotencyKey, transfer]));
    return keys.map((key) => created.get(key) ?? null);
  });

  /**
   * Identical requests reaching this instance at once are taken one after another, so the later ones replay
   * the first instead of each reserving limits for a transfer that will exist only once.
   */
  execute(request: OperationRequest): Promise<OperationResult> {
    const scopedKey = `${request.caller.sub}:${request.idempotencyKey}`;
    return this.sameKey.run(scopedKey, () => this.accept(request, scopedKey));
  }

  private async accept(request: OperationRequest, scopedKey: string): Promise<OperationResult> {
    const amountRaw = parseUsdtAmount(request.amount);
    const hash = requestHash(request.kind, {
      to: request.to,
      amountRaw: amountRaw.toString(),
      wallet: request.wallet,
      memo: request.memo,
      reference: request.reference,
      // Only when set: hashes of requests made before the field existed stay the same.
      internal: request.internal || undefined,
    });

    const earlier = await this.byKey.call(scopedKey);
    if (earlier) return this.replay(earlier, hash);

    const wallet = await this.payingWallet.resolve(request.wallet);
    assertNotSelf(wallet.address, request.to);
    await this.destinations.assertAllowed({
      kind: request.kind,
      to: request.to,
      internal: request.internal ?? false,
      field: request.kind === 'approve' ? 'spender' : 'to',
    });
    const id = randomUUID();
    let decision: PolicyDecision;
    try {
      decision = await this.policy.decide({
        transferId: id,
        kind: request.kind,
        wallet: wallet.address,
        to: request.to,
        amountRaw,
        requestedBy: request.caller,
        at: new Date(),
      });
    } catch (err) {
      // Identical concurrent requests are all screened before one of them stores the transfer, and each
      // reserves its own capacity: one may be refused (a limit) only because the others hold it. If the key
      // has meanwhile created the transfer, that transfer is this request's answer.
      const winner = await this.byKey.call(scopedKey);
      if (winner) return this.replay(winner, hash);
      throw err;
    }
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
        internal: request.internal ?? false,
        requestedBy: request.caller.sub,
        idempotencyKey: scopedKey,
        requestHash: hash,
        governance: decision.governance,
      });
    } catch (err) {
      // The database did not answer: the insert may still have been committed (a hung server works through
      // what it had received once it resumes). Giving the capacity back could then let a stored transfer
      // escape its limits, so it stays held until its limit window ends; a retry with the same key replays
      // the transfer if it was stored.
      if (isDatabaseUnavailableError(err)) throw err;
      // Never stored: what the policy reserved for it would otherwise stay taken. A failure to give it back
      // is logged rather than thrown over the error that matters (held capacity only makes limits stricter).
      await this.policy
        .released({ id, governance: decision.governance })
        .catch((releaseErr: unknown) =>
          this.logger.error({ err: releaseErr, transferId: id }, 'could not release an unstored transfer'),
        );
      throw err;
    }
    if (inserted === 'duplicate') {
      // Lost a race with an identical request: the winner's transfer is the answer, and ours never existed.
      await this.policy.released({ id, governance: decision.governance });
      const winner = await this.byKey.call(scopedKey);
      if (!winner)
        throw new AppError(ErrorCode.WRITE_CONFLICT, 'the Idempotency-Key is being used concurrently');
      return this.replay(winner, hash);
    }
    this.events.created(inserted);
    this.logger.log({ transferId: inserted.id, kind: inserted.kind, status: inserted.status }, 'accepted');
    return { transfer: inserted, replay: false };
  }

  private replay(earlier: Transfer, hash: string): OperationResult {
    assertSameRequest(earlier, hash);
    return { transfer: earlier, replay: true };
  }
}
