import { Injectable, Logger } from '@nestjs/common';

import { ErrorCode } from '@app/common';
import { ChainFollower, SignedTransaction, TronClient } from '@app/tron';

import { Transfer } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { OutgoingGate } from '../policy/transfer-policy';
import { untilSolidified } from './chain-heads';
import { PipelineContext, problemOf } from './pipeline-context';
import { TransferEvents } from './transfer-events';

/**
 * Sends the stored signed transaction, always the same bytes: a repeated send is at worst a duplicate the
 * node refuses (DUP_TRANSACTION_ERROR), never a second payment. Whatever the outcome, the transaction stays
 * stored; the tracker decides later whether it landed or provably never can.
 */
@Injectable()
export class BroadcastSigned {
  private readonly logger = new Logger(BroadcastSigned.name);

  constructor(
    private readonly transfers: TransferRepository,
    private readonly tron: TronClient,
    private readonly gate: OutgoingGate,
    private readonly context: PipelineContext,
    private readonly events: TransferEvents,
    private readonly follower: ChainFollower,
  ) {}

  /**
   * When the tracker looks at an accepted transaction itself. With the chain follower running, its solidified
   * block settles the transfer first, so the per-transaction check comes only after the block should have
   * solidified (plus a retry delay), as a safety net: for a transaction the node dropped (sent again then) or
   * one this instance stopped watching. Without the follower's heads, the next poll.
   */
  private followUpAt(): Date {
    const heads = this.follower.latestHeads();
    if (!heads) return this.context.pollAt();
    const { pollIntervalMs, retryDelayMs } = this.context.settings;
    const solidifiedIn = untilSolidified(heads, heads.head.number + 1, pollIntervalMs);
    return new Date(Date.now() + solidifiedIn + retryDelayMs);
  }

  async run(transfer: Transfer): Promise<void> {
    const tx = transfer.tx;
    if (!tx) return;
    const { workerId } = this.context;
    try {
      await this.gate.assertOpen();
      const outcome = await this.tron.broadcast(JSON.parse(tx.signedJson) as SignedTransaction);
      if (outcome.accepted) {
        const sent = { lastSentAt: new Date(), failedAttempts: 0, nextAttemptAt: this.followUpAt() };
        if (transfer.status === 'signed') {
          const moved = await this.transfers.transition(transfer.id, {
            from: ['signed'],
            to: 'broadcast',
            where: { 'tx.txid': tx.txid },
            set: { ...sent, broadcastAt: new Date() },
            unset: ['lastError', 'waiting'],
            inc: { broadcastAttempts: 1 },
            note: outcome.duplicate ? 'node already had the transaction' : undefined,
            release: true,
          });
          if (moved) return this.events.moved(moved, 'signed');
        }
        // A re-send of an already broadcast transaction (or a lost race): record it, keep the status.
        await this.transfers.release(transfer.id, workerId, {
          set: sent,
          unset: ['lastError'],
          inc: { broadcastAttempts: 1 },
        });
        return;
      }
      this.logger.warn({ transferId: transfer.id, txid: tx.txid, code: outcome.code }, 'broadcast rejected');
      await this.transfers.release(transfer.id, workerId, {
        set: {
          lastError: {
            code: ErrorCode.BROADCAST_REJECTED,
            message: `${outcome.code}: ${outcome.message}`,
            at: new Date(),
          },
          nextAttemptAt: this.context.retryAt(transfer.failedAttempts),
          lastSentAt: new Date(),
        },
        inc: { broadcastAttempts: 1, failedAttempts: 1 },
      });
    } catch (err) {
      const halted = this.context.haltedChanges(err);
      if (halted) return this.transfers.release(transfer.id, workerId, halted);
      // Timeouts and unreachable nodes: the transaction may or may not have arrived. Keep it and try again.
      await this.transfers.release(transfer.id, workerId, {
        set: {
          lastError: problemOf(err),
          lastSentAt: new Date(),
          nextAttemptAt: this.context.retryAt(transfer.failedAttempts),
        },
        inc: { broadcastAttempts: 1, failedAttempts: 1 },
      });
    }
  }
}
