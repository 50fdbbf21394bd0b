import { Injectable, Logger } from '@nestjs/common';

import { ErrorCode } from '@app/common';
import { SignedTransaction, TronClient } from '@app/tron';

import { Transfer } from '../domain/transfer';
import { TransferRepository } from '../persistence/transfer.repository';
import { OutgoingGate } from '../policy/transfer-policy';
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
  ) {}

  async run(transfer: Transfer): Promise<void> {
    const tx = transfer.tx;
    if (!tx) return;
    const { workerId } = this.context;
    try {
      await this.gate.assertOpen();
      const outcome = await this.tron.broadcast(JSON.parse(tx.signedJson) as SignedTransaction);
      if (outcome.accepted) {
        const moved = await this.transfers.transition(transfer.id, {
          from: ['signed'],
          to: 'broadcast',
          where: { 'tx.txid': tx.txid },
          set: { broadcastAt: new Date(), nextAttemptAt: this.context.pollAt() },
          unset: ['lastError', 'waiting'],
          inc: { broadcastAttempts: 1 },
          note: outcome.duplicate ? 'node already had the transaction' : undefined,
          release: true,
        });
        if (moved) this.events.moved(moved, 'signed');
        else
          await this.transfers.release(transfer.id, workerId, {
            set: { nextAttemptAt: this.context.pollAt() },
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
          nextAttemptAt: this.context.retryAt(transfer.broadcastAttempts),
        },
        inc: { broadcastAttempts: 1 },
      });
    } catch (err) {
      // Timeouts and unreachable nodes: the transaction may or may not have arrived. Keep it and try again.
      await this.transfers.release(transfer.id, workerId, {
        set: { lastError: problemOf(err), nextAttemptAt: this.context.retryAt(transfer.broadcastAttempts) },
        inc: { broadcastAttempts: 1 },
      });
    }
  }
}
