import { Injectable, Logger } from '@nestjs/common';

import { ErrorCode } from '@app/common';
import { receiptErrorCode, TransactionReceipt, TronClient } from '@app/tron';

import { canNeverLand } from '../domain/replacement-rule';
import { Transfer } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { TransferPolicy } from '../policy/transfer-policy';
import { BroadcastSigned } from './broadcast-signed';
import { ChainHeads, untilSolidified } from './chain-heads';
import { PipelineContext, problemOf } from './pipeline-context';
import { TransferEvents } from './transfer-events';
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
    private readonly transfers: TransferRepository,
    private readonly tron: TronClient,
    private readonly broadcaster: BroadcastSigned,
    private readonly policy: TransferPolicy,
    private readonly context: PipelineContext,
    private readonly events: TransferEvents,
    private readonly heads: ChainHeads,
    private readonly watched: WatchedTransactions,
  ) {}

  async run(transfer: Transfer): Promise<void> {
    const tx = transfer.tx;
    if (!tx) return;
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
        return await this.transfers.release(transfer.id, this.context.workerId, {
          set: { nextAttemptAt: this.context.pollAt() },
        });
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
      await this.transfers.release(transfer.id, this.context.workerId, {
        set: { nextAttemptAt: this.context.pollAt() },
      });
    } catch (err) {
      await this.transfers.release(transfer.id, this.context.workerId, {
        set: { lastError: problemOf(err), nextAttemptAt: this.context.retryAt(transfer.failedAttempts) },
        inc: { failedAttempts: 1 },
      });
    }
  }

  private async followReceipt(transfer: Transfer, receipt: TransactionReceipt): Promise<void> {
    const heads = await this.heads.get();
    const { head, solidified } = heads;
    const confirmations = Math.max(0, head.number - receipt.blockNumber + 1);
    const record = {
      blockNumber: receipt.blockNumber,
      blockTimestamp: receipt.blockTimestamp,
      result: receipt.result,
      energyUsed: receipt.energyUsed,
      feeSun: receipt.feeSun,
    };

    const final =
      receipt.blockNumber <= solidified.number
        ? await this.tron.getSolidifiedTransactionInfo(transfer.tx!.txid)
        : null;
    if (!final) {
      // In a block, not yet irreversible: count confirmations. A `signed` record was evidently broadcast
      // (perhaps by a run that crashed before saying so), so it moves to `broadcast`; history gets one entry.
      const waitMs = untilSolidified(heads, receipt.blockNumber, this.context.settings.pollIntervalMs);
      const progress = {
        set: {
          confirmations,
          receipt: record,
          nextAttemptAt: new Date(Date.now() + waitMs),
          broadcastAt: transfer.broadcastAt ?? new Date(),
        },
        unset: ['lastError'],
      };
      // With its receipt stored the database stops counting it in flight: so must the watch list.
      this.watched.forget(transfer.tx!.txid);
      if (transfer.status === 'signed') {
        const moved = await this.transfers.transition(transfer.id, {
          from: ['signed'],
          to: 'broadcast',
          ...progress,
          release: true,
        });
        if (moved) this.events.moved(moved, 'signed');
      } else {
        await this.transfers.release(transfer.id, this.context.workerId, progress);
      }
      return;
    }

    await this.settle(transfer, final, confirmations);
  }

  /**
   * Settles a signed or broadcast transfer from its solidified receipt: `confirmed` with the exact Transfer
   * log, `failed` with the receipt's catalogue code (its limits given back). Guarded, so a second settle of
   * the same transfer (another instance, a block processed again after a crash) changes nothing.
   */
  async settle(transfer: Transfer, final: TransactionReceipt, confirmations: number): Promise<void> {
    // Forgotten before the write, never after: in between, the in-flight count would leave it out twice.
    this.watched.forget(final.txid);
    const record = {
      blockNumber: final.blockNumber,
      blockTimestamp: final.blockTimestamp,
      result: final.result,
      energyUsed: final.energyUsed,
      feeSun: final.feeSun,
    };
    const succeeded = final.result === 'SUCCESS' && this.paidAsAsked(transfer, final);
    const code = succeeded ? undefined : receiptErrorCode(final.result);
    const settling = this.transfers.transition(transfer.id, {
      from: ['signed', 'broadcast'],
      to: succeeded ? 'confirmed' : 'failed',
      where: { 'tx.txid': final.txid },
      set: {
        confirmations,
        receipt: record,
        ...(succeeded
          ? { confirmedAt: new Date() }
          : {
              failure: {
                code: code ?? ErrorCode.CONTRACT_REVERTED,
                message: `receipt ${final.result}${final.message ? `: ${final.message}` : ''}`,
                at: new Date(),
              },
            }),
      },
      unset: ['lastError', 'waiting'],
      note: `block ${final.blockNumber}, ${final.result}`,
      release: true,
    });
    // Not written: watched again, so the block processed again (or the next check) still finds it.
    const settled = await settling.catch((err: unknown) => {
      this.watched.watch(transfer);
      throw err;
    });
    if (settled) {
      this.events.moved(settled, transfer.status);
      if (!succeeded) await this.policy.released(settled);
    }
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
    const exhausted = transfer.supersededTxids.length + 1 >= this.context.settings.maxReplacements;
    const moved = await this.transfers.transition(transfer.id, {
      from: ['signed', 'broadcast'],
      to: exhausted ? 'failed' : 'approved',
      where: { 'tx.txid': tx.txid },
      pushSupersededTxid: tx.txid,
      unset: ['tx'],
      set: {
        nextAttemptAt: new Date(),
        ...(exhausted && {
          failure: {
            code: ErrorCode.TRANSACTION_NOT_FOUND,
            message: `${transfer.supersededTxids.length + 1} transactions expired unseen`,
            at: new Date(),
          },
        }),
      },
      note: `transaction ${tx.txid} expired and is absent from the solidified chain`,
      release: true,
    });
    if (!moved) return;
    this.logger.warn(
      { transferId: transfer.id, txid: tx.txid },
      'signed transaction can never land; re-queued for a new signature',
    );
    this.events.moved(moved, transfer.status);
    if (exhausted) await this.policy.released(moved);
  }
}
