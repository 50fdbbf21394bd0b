import { Injectable, Logger } from '@nestjs/common';

import { ErrorCode } from '@app/common';
import { ChainFollower, SignedTransaction, TronClient } from '@app/tron';

import { Transfer } from '../domain/transfer';
import { TransferTransitions } from '../persistence/transfer-transitions';
import { OutgoingGate } from '../policy/transfer-policy';
import { untilSolidified } from './chain-heads';
import { PipelineContext, problemOf } from './pipeline-context';

/**
 * Sends the stored signed transaction, always the same bytes: a repeated send is at worst a duplicate the
 * node refuses (DUP_TRANSACTION_ERROR), never a second payment. Whatever the outcome, the transaction stays
 * stored; the tracker decides later whether it landed or provably never can.
 */
@Injectable()
export class BroadcastSigned {
  private readonly logger = new Logger(BroadcastSigned.name);

  constructor(
    private readonly transitions: TransferTransitions,
    private readonly tron: TronClient,
    private readonly gate: OutgoingGate,
    private readonly context: PipelineContext,
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
        const checkAt = this.followUpAt();
        if (transfer.status === 'signed') {
          const moved = await this.transitions.markBroadcast(transfer, {
            duplicate: outcome.duplicate,
            checkAt,
          });
          if (moved) return;
        }
        // A re-send of an already broadcast transaction (or a lost race): record it, keep the status.
        return await this.transitions.recordResent(transfer, workerId, checkAt);
      }
      this.logger.warn({ transferId: transfer.id, txid: tx.txid, code: outcome.code }, 'broadcast rejected');
      const rejected = {
        code: ErrorCode.BROADCAST_REJECTED,
        message: `${outcome.code}: ${outcome.message}`,
        at: new Date(),
      };
      await this.transitions.recordSendFailed(transfer, workerId, rejected, this.retryAt(transfer));
    } catch (err) {
      const halted = this.context.haltedBy(err);
      if (halted) return this.transitions.wait(transfer, workerId, halted, this.context.pollAt());
      // Timeouts and unreachable nodes: the transaction may or may not have arrived. Keep it and try again.
      await this.transitions.recordSendFailed(transfer, workerId, problemOf(err), this.retryAt(transfer));
    }
  }

  private retryAt(transfer: Transfer): Date {
    return this.context.retryAt(transfer.failedAttempts);
  }
}
