import { Injectable, Logger } from '@nestjs/common';

import { ErrorCode } from '@app/common';
import { receiptErrorCode, TransactionReceipt, TronClient } from '@app/tron';

import { canNeverLand } from '../domain/replacement-rule';
import { Receipt, Transfer } from '../domain/transfer';
import { TransferTransitions } from '../persistence/transfer-transitions';
import { TransferPolicy } from '../policy/transfer-policy';
import { BroadcastSigned } from './broadcast-signed';
import { ChainHeads, untilSolidified } from './chain-heads';
import { PipelineContext, problemOf } from './pipeline-context';
import { WatchedTransactions } from './watched-transactions';

/**
 * Follows a signed or broadcast transfer to the end: counts confirmations while its block is above the
 * solidified head, settles it once the block is solidified (SUCCESS plus the expected Transfer log is
 * `confirmed`; anything else is `failed` with the receipt's catalogue code), re-sends the same bytes while it
 * is unseen and unexpired, and hands it back for a new signature only when it provably can never land.
 */
@Injectable()
export class TrackOnChain {
  private readonly logger = new Logger(TrackOnChain.name);

  constructor(
    private readonly transitions: TransferTransitions,
    private readonly tron: TronClient,
    private readonly broadcaster: BroadcastSigned,
    private readonly policy: TransferPolicy,
    private readonly context: PipelineContext,
    private readonly heads: ChainHeads,
    private readonly watched: WatchedTransactions,
  ) {}

  async run(transfer: Transfer): Promise<void> {
    const tx = transfer.tx;
    if (!tx) return;
    const { workerId } = this.context;
    // Signed before a restart or by another instance: from now on its block settles it here too.
    this.watched.watch(transfer);
    try {
      const receipt = await this.tron.getTransactionInfo(tx.txid);
      if (receipt) return await this.followReceipt(transfer, receipt);

      if (Date.now() <= tx.expiration) {
        // Unseen but still valid: send the same bytes again (harmless if the node has them), but a transaction
        // the node already accepted only every retry interval, not on every poll.
        const sentRecently =
          transfer.status === 'broadcast' &&
          transfer.lastSentAt !== undefined &&
          Date.now() - transfer.lastSentAt.getTime() < this.context.settings.retryDelayMs;
        if (!sentRecently) return await this.broadcaster.run(transfer);
        return await this.transitions.checkAgainAt(transfer, workerId, this.context.pollAt());
      }
      const { solidified } = await this.heads.get();
      // Only once the solidified chain is past the expiration is it worth asking whether the tx is in it.
      const inSolidified =
        solidified.timestamp > tx.expiration &&
        (await this.tron.getSolidifiedTransactionInfo(tx.txid)) !== null;
      if (
        canNeverLand({
          expiration: tx.expiration,
          solidifiedHeadTimestamp: solidified.timestamp,
          foundInSolidifiedChain: inSolidified,
        })
      ) {
        return await this.replace(transfer);
      }
      await this.transitions.checkAgainAt(transfer, workerId, this.context.pollAt());
    } catch (err) {
      const retryAt = this.context.retryAt(transfer.failedAttempts);
      await this.transitions.scheduleRetry(transfer, workerId, problemOf(err), retryAt);
    }
  }

  private async followReceipt(transfer: Transfer, receipt: TransactionReceipt): Promise<void> {
    const heads = await this.heads.get();
    const { head, solidified } = heads;
    const confirmations = Math.max(0, head.number - receipt.blockNumber + 1);

    const final =
      receipt.blockNumber <= solidified.number
        ? await this.tron.getSolidifiedTransactionInfo(transfer.tx!.txid)
        : null;
    if (!final) {
      const waitMs = untilSolidified(heads, receipt.blockNumber, this.context.settings.pollIntervalMs);
      // With its receipt stored the database stops counting it in flight: so must the watch list.
      this.watched.forget(transfer.tx!.txid);
      return this.transitions.markIncluded(transfer, this.context.workerId, {
        receipt: receiptRecord(receipt),
        confirmations,
        checkAt: new Date(Date.now() + waitMs),
      });
    }

    await this.settle(transfer, final, confirmations);
  }

  /**
   * Settles a signed or broadcast transfer from its solidified receipt: `confirmed` with the exact Transfer
   * log, `failed` with the receipt's catalogue code. Guarded, so a second settle of the same transfer
   * (another instance, a block processed again after a crash) changes nothing.
   *
   * A failed receipt gives the limits back: the call moved nothing. A SUCCESS receipt without the exact
   * Transfer log (another amount, a fee taken by the token) is failed too, for an operator to look at, but
   * keeps its limits: tokens may have left the wallet, and the limits bound what leaves it.
   */
  async settle(transfer: Transfer, final: TransactionReceipt, confirmations: number): Promise<void> {
    // Forgotten before the write; watched again below if the write fails.
    this.watched.forget(final.txid);
    const succeeded = final.result === 'SUCCESS' && this.paidAsAsked(transfer, final);
    const executed = final.result === 'SUCCESS';
    const failure = succeeded
      ? undefined
      : {
          code: receiptErrorCode(final.result) ?? ErrorCode.CONTRACT_REVERTED,
          message: executed
            ? 'receipt SUCCESS without a Transfer log of exactly the amount to the destination: check the ' +
              'chain before paying again'
            : `receipt ${final.result}${final.message ? `: ${final.message}` : ''}`,
          at: new Date(),
        };
    const settling = this.transitions.settle(transfer, {
      txid: final.txid,
      receipt: receiptRecord(final),
      confirmations,
      failure,
      note: `block ${final.blockNumber}, ${final.result}`,
    });
    // Not written: watched again, so the block processed again (or the next check) still finds it.
    const settled = await settling.catch((err: unknown) => {
      this.watched.watch(transfer);
      throw err;
    });
    if (settled && failure && !executed) await this.policy.released(settled);
  }

  /**
   * SUCCESS alone is not proof of payment (TRON's USDT returns false even on success, and a receipt can be
   * SUCCESS without the expected event): a transfer also needs its own Transfer log with the exact amount.
   */
  private paidAsAsked(transfer: Transfer, receipt: TransactionReceipt): boolean {
    if (transfer.kind !== 'transfer') return true;
    return receipt.trc20Transfers.some(
      (log) => log.from === transfer.wallet && log.to === transfer.to && log.valueRaw === transfer.amountRaw,
    );
  }

  private async replace(transfer: Transfer): Promise<void> {
    const tx = transfer.tx!;
    const tried = transfer.supersededTxids.length + 1;
    const exhausted = tried >= this.context.settings.maxReplacements;
    const failure = exhausted
      ? {
          code: ErrorCode.TRANSACTION_NOT_FOUND,
          message: `${tried} transactions expired unseen`,
          at: new Date(),
        }
      : undefined;
    const moved = await this.transitions.replace(transfer, failure);
    if (!moved) return;
    this.logger.warn(
      { transferId: transfer.id, txid: tx.txid },
      'signed transaction can never land; re-queued for a new signature',
    );
    if (exhausted) await this.policy.released(moved);
  }
}

/** What the transfer keeps of a receipt (its Transfer logs were checked, not stored). */
function receiptRecord(receipt: TransactionReceipt): Receipt {
  const { blockNumber, blockTimestamp, result, energyUsed, feeSun } = receipt;
  return { blockNumber, blockTimestamp, result, energyUsed, feeSun };
}
