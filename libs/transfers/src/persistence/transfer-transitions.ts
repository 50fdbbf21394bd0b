import { Injectable } from '@nestjs/common';

import { ApprovalVote, GovernanceRecord } from '../domain/governance';
import { ProblemRecord, Receipt, SignedTx, Transfer, TransferStatus } from '../domain/transfer';
import { TransferEvents } from '../worker/transfer-events';
import { TransferChanges, TransferRepository, TransitionRequest } from './transfer.repository';

/** The worst-case energy and fee a payout was checked against before signing, recorded with its signature. */
export interface FeeEstimate {
  energy: bigint;
  feeSun: bigint;
}

/** A solidified receipt's outcome as the follower judged it: `failure` set when it did not pay as asked. */
export interface Settlement {
  txid: string;
  receipt: Receipt;
  confirmations: number;
  failure?: ProblemRecord;
  note: string;
}

/**
 * Every move a transfer makes, named for its intent: callers pass domain values, this builds the guarded
 * update and announces the event itself (TransferEvents), so no caller can move a transfer and forget to
 * tell the audit trail. The event is the history entry written in the same update (the transfer is its own
 * outbox). Each returns the transfer as written, or null when its guard no longer held (another worker,
 * vote or sweep got there first, or the lease was lost): then nothing was written and nothing announced.
 *
 * Pipeline moves name the lease holder (`workerId`): only it may make them, and most give the lease back.
 */
@Injectable()
export class TransferTransitions {
  constructor(
    private readonly transfers: TransferRepository,
    private readonly events: TransferEvents,
  ) {}

  // ---- approvals and cancellation --------------------------------------------------------------------------

  /**
   * One admin's vote, compare-and-set on the governance revision: `pending_approval` keeps the transfer held
   * (the vote is recorded), `approved` releases it to the pipeline (due now), `rejected` ends it.
   */
  recordVote(
    transfer: Transfer,
    governance: GovernanceRecord,
    votes: ApprovalVote[],
    outcome: 'approved' | 'rejected' | 'pending_approval',
    by: string,
    note: string,
  ): Promise<Transfer | null> {
    const where = { 'governance.revision': governance.revision };
    const set = { 'governance.votes': votes, 'governance.revision': governance.revision + 1 };
    if (outcome === 'pending_approval') {
      return this.transfers.update(transfer.id, { status: ['pending_approval'], where }, { set });
    }
    return this.move(transfer.id, {
      from: ['pending_approval'],
      to: outcome,
      where,
      set: outcome === 'approved' ? { ...set, nextAttemptAt: new Date() } : set,
      by,
      note,
    });
  }

  expire(transfer: Transfer): Promise<Transfer | null> {
    return this.move(transfer.id, {
      from: ['pending_approval'],
      to: 'expired',
      by: 'system:approvals',
      note: 'approval not decided in time',
    });
  }

  /** Only while nothing is signed, and only while no worker holds the lease (one may be signing it now). */
  cancel(transfer: Transfer, by: string, reason?: string): Promise<Transfer | null> {
    return this.move(transfer.id, {
      from: ['pending_approval', 'approved'],
      to: 'cancelled',
      where: { $or: [{ lockedUntil: null }, { lockedUntil: { $lt: new Date() } }] },
      by,
      note: reason,
      unset: ['waiting'],
      // A lease that ran out is ended too: its worker, should it wake, then records nothing on a cancelled transfer.
      release: true,
    });
  }

  // ---- before signing ----------------------------------------------------------------------------------------

  /** The signed bytes, stored before their first broadcast; the lease is kept for the broadcast that follows. */
  markSigned(
    transfer: Transfer,
    workerId: string,
    tx: SignedTx,
    estimate: FeeEstimate,
  ): Promise<Transfer | null> {
    return this.move(transfer.id, {
      from: ['approved'],
      to: 'signed',
      lockedBy: workerId,
      set: { tx, estimatedEnergy: estimate.energy, estimatedFeeSun: estimate.feeSun, failedAttempts: 0 },
      unset: ['waiting', 'lastError'],
    });
  }

  /** Final before anything was signed (a dry run that says it can never pay, a wait past its limit). */
  failUnsigned(transfer: Transfer, workerId: string, failure: ProblemRecord): Promise<Transfer | null> {
    return this.move(transfer.id, {
      from: ['approved'],
      to: 'failed',
      lockedBy: workerId,
      set: { failure },
      unset: ['waiting'],
      note: failure.message,
      release: true,
    });
  }

  /** Not a failure: it cannot go on yet (funds, fee resources, the emergency stop, a disabled wallet). */
  wait(transfer: Transfer, workerId: string, waiting: ProblemRecord, until: Date): Promise<void> {
    return this.transfers.release(transfer.id, workerId, { set: { waiting, nextAttemptAt: until } });
  }

  /** A step failed in a way worth trying again (a node or database error): back off by `failedAttempts`. */
  scheduleRetry(transfer: Transfer, workerId: string, problem: ProblemRecord, at: Date): Promise<void> {
    return this.transfers.release(transfer.id, workerId, {
      set: { lastError: problem, nextAttemptAt: at },
      inc: { failedAttempts: 1 },
    });
  }

  /** Nothing to do now: looked at again at `at`. */
  checkAgainAt(transfer: Transfer, workerId: string, at: Date): Promise<void> {
    return this.transfers.release(transfer.id, workerId, { set: { nextAttemptAt: at } });
  }

  // ---- sending ---------------------------------------------------------------------------------------------

  /**
   * The node accepted the stored bytes for the first time (or already had them: `duplicate`). Guarded by the
   * txid, not the lease: a send that went out is recorded even if the lease ran out meanwhile.
   */
  markBroadcast(transfer: Transfer, sent: { duplicate: boolean; checkAt: Date }): Promise<Transfer | null> {
    const now = new Date();
    return this.move(transfer.id, {
      from: ['signed'],
      to: 'broadcast',
      where: { 'tx.txid': transfer.tx!.txid },
      set: { lastSentAt: now, failedAttempts: 0, nextAttemptAt: sent.checkAt, broadcastAt: now },
      unset: ['lastError', 'waiting'],
      inc: { broadcastAttempts: 1 },
      note: sent.duplicate ? 'node already had the transaction' : undefined,
      release: true,
    });
  }

  /** The same bytes sent again and accepted (a re-send, or a first send whose move another step made). */
  recordResent(transfer: Transfer, workerId: string, checkAt: Date): Promise<void> {
    return this.transfers.release(transfer.id, workerId, {
      set: { lastSentAt: new Date(), failedAttempts: 0, nextAttemptAt: checkAt },
      unset: ['lastError'],
      inc: { broadcastAttempts: 1 },
    });
  }

  /**
   * A send that did not go through, or whose outcome is unknown (a timeout: the node may have it). The
   * bytes stay stored; the tracker later decides whether they landed or provably never can.
   */
  recordSendFailed(
    transfer: Transfer,
    workerId: string,
    problem: ProblemRecord,
    retryAt: Date,
  ): Promise<void> {
    return this.transfers.release(transfer.id, workerId, {
      set: { lastError: problem, nextAttemptAt: retryAt, lastSentAt: new Date() },
      inc: { broadcastAttempts: 1, failedAttempts: 1 },
    });
  }

  // ---- on chain ----------------------------------------------------------------------------------------------

  /**
   * In a block, not yet solidified: confirmations counted. A `signed` record was evidently broadcast (perhaps
   * by a run that crashed before saying so), so it moves to `broadcast`; one already there keeps its status.
   */
  async markIncluded(
    transfer: Transfer,
    workerId: string,
    inclusion: { receipt: Receipt; confirmations: number; checkAt: Date },
  ): Promise<void> {
    const progress: TransferChanges = {
      set: {
        confirmations: inclusion.confirmations,
        receipt: inclusion.receipt,
        nextAttemptAt: inclusion.checkAt,
        broadcastAt: transfer.broadcastAt ?? new Date(),
      },
      unset: ['lastError'],
    };
    if (transfer.status === 'signed') {
      await this.move(transfer.id, { from: ['signed'], to: 'broadcast', ...progress, release: true });
      return;
    }
    await this.transfers.release(transfer.id, workerId, progress);
  }

  /**
   * Final, from the solidified receipt of its current transaction: `confirmed`, or `failed` with the
   * receipt's catalogue code. Guarded by the txid, so settling twice (another instance, a block processed
   * again after a crash) changes nothing the second time. No lease needed: the follower settles.
   */
  settle(transfer: Transfer, settlement: Settlement): Promise<Transfer | null> {
    const { receipt, confirmations, failure } = settlement;
    return this.move(transfer.id, {
      from: ['signed', 'broadcast'],
      to: failure ? 'failed' : 'confirmed',
      where: { 'tx.txid': settlement.txid },
      set: { confirmations, receipt, ...(failure ? { failure } : { confirmedAt: new Date() }) },
      unset: ['lastError', 'waiting'],
      note: settlement.note,
      release: true,
    });
  }

  /**
   * Its transaction provably can never land (expired and absent from the solidified chain): back to
   * `approved` for a new signature, or `failed` with `failure` once no replacement is left.
   */
  replace(transfer: Transfer, failure?: ProblemRecord): Promise<Transfer | null> {
    const txid = transfer.tx!.txid;
    return this.move(transfer.id, {
      from: ['signed', 'broadcast'],
      to: failure ? 'failed' : 'approved',
      where: { 'tx.txid': txid },
      pushSupersededTxid: txid,
      unset: ['tx'],
      set: { nextAttemptAt: new Date(), ...(failure && { failure }) },
      note: `transaction ${txid} expired and is absent from the solidified chain`,
      release: true,
    });
  }

  /** The move and its announcement; `from` is the status the written history says it left. */
  private async move(id: string, request: TransitionRequest): Promise<Transfer | null> {
    const moved = await this.transfers.transition(id, request);
    if (moved) this.events.moved(moved, previousStatus(moved));
    return moved;
  }
}

function previousStatus(transfer: Transfer): TransferStatus {
  return transfer.history[transfer.history.length - 2].status;
}
