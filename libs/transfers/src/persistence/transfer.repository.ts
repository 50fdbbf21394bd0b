import type { ErrorCode } from '@app/common';

import { OperationKind, ProblemRecord, Transfer, TransferStatus } from '../domain/transfer';
import { TransferDoc } from './transfer.schema';

/** What intake knows about a new transfer; the pipeline fields start empty. */
export type NewTransfer = Pick<
  Transfer,
  | 'id'
  | 'kind'
  | 'status'
  | 'wallet'
  | 'to'
  | 'amountRaw'
  | 'memo'
  | 'reference'
  | 'internal'
  | 'requestedBy'
  | 'batchId'
  | 'idempotencyKey'
  | 'requestHash'
  | 'governance'
>;

/** Field updates, in the persistence shape (dotted paths allowed for nested records). */
export type TransferChanges = {
  set?: Partial<Omit<TransferDoc, '_id' | 'history' | 'createdAt' | 'updatedAt'>> & Record<string, unknown>;
  unset?: string[];
  inc?: Record<string, number>;
  pushSupersededTxid?: string;
};

export interface TransitionRequest extends TransferChanges {
  from: readonly TransferStatus[];
  to: TransferStatus;
  by?: string;
  note?: string;
  /** Only the worker holding the lease may make this move (e.g. storing a signed transaction). */
  lockedBy?: string;
  /** Extra guard on the current document, e.g. `{ 'tx.txid': old }` when replacing a transaction. */
  where?: Record<string, unknown>;
  /** Drop the lease as part of the move. */
  release?: boolean;
}

export interface TransferListQuery {
  status?: TransferStatus;
  kind?: OperationKind;
  wallet?: string;
  to?: string;
  batchId?: string;
  /** The caller's own reference, exact. */
  reference?: string;
  /** Pending approvals whose `governance.expiresAt` is before this moment. */
  expiringBefore?: Date;
  createdFrom?: Date;
  createdBefore?: Date;
  limit: number;
  cursor?: { createdAt: Date; id: string };
}

/** Queued transfers waiting for one of some codes: how many per code, and since when the oldest waits. */
export interface WaitingSummary {
  byCode: Partial<Record<ErrorCode, number>>;
  total: number;
  oldestSince: Date | null;
}

export interface TransferStatsRow {
  status: TransferStatus;
  kind: OperationKind;
  day: string;
  count: number;
  amountRaw: bigint;
}

/** Event `event` of a transfer (its history length when it happened) has been delivered. */
export interface EventMark {
  id: string;
  event: number;
}

/** The only gateway to the transfers collection; returns plain domain objects. */
export abstract class TransferRepository {
  /** Inserts, or returns 'duplicate' when the caller's Idempotency-Key already created a transfer. */
  abstract insert(transfer: NewTransfer): Promise<Transfer | 'duplicate'>;
  abstract findById(id: string): Promise<Transfer | null>;
  abstract findByIdempotencyKey(key: string): Promise<Transfer | null>;
  /** The transfers some of `keys` created, in any order (one query for the lookups of many requests). */
  abstract findByIdempotencyKeys(keys: readonly string[]): Promise<Transfer[]>;
  abstract findByTxid(txid: string): Promise<Transfer | null>;
  /** Every item of a batch, in any status, oldest first. */
  abstract findByBatch(batchId: string): Promise<Transfer[]>;
  /**
   * Atomically takes the lease on one due document in one of the given statuses (not leased, or its lease
   * expired), oldest due first. Two workers can never hold the same document.
   */
  abstract claimDue(
    statuses: readonly TransferStatus[],
    workerId: string,
    leaseMs: number,
    /**
     * Disabled wallets: their `approved` transfers already marked waiting for USDT_ERR_504 are left alone (they
     * wait for admins); one approved since the wallet was disabled is still claimed once, to be marked.
     */
    disabledWallets?: readonly string[],
  ): Promise<Transfer | null>;
  /** Guarded status move: applies only if the document is still in one of `from`. Null when it was not. */
  abstract transition(id: string, request: TransitionRequest): Promise<Transfer | null>;
  /** Guarded field update without a status change. */
  abstract update(
    id: string,
    guard: { status?: readonly TransferStatus[]; lockedBy?: string; where?: Record<string, unknown> },
    changes: TransferChanges,
  ): Promise<Transfer | null>;
  /** Gives the lease back, optionally scheduling the next attempt. */
  abstract release(id: string, workerId: string, changes?: TransferChanges): Promise<void>;
  abstract list(query: TransferListQuery): Promise<Transfer[]>;
  abstract countByStatus(statuses: readonly TransferStatus[]): Promise<number>;
  abstract oldestUpdateIn(statuses: readonly TransferStatus[]): Promise<Date | null>;
  /**
   * Rows of the transfers created in [since, before), read from the transfers themselves (an aggregation,
   * which the embedded engine answers by scanning): only for the days before the stats counters started.
   */
  abstract stats(since: Date, before: Date): Promise<TransferStatsRow[]>;
  /** Whether any transfer was created before this moment. */
  abstract existsCreatedBefore(moment: Date): Promise<boolean>;
  /**
   * Marks every queued (`approved`) transfer of a wallet as waiting for `waiting`, so their views say why they
   * do not move (a disabled wallet) without each having to be claimed first. Returns how many were marked.
   */
  abstract markQueuedWaiting(wallet: string, waiting: ProblemRecord): Promise<number>;
  /** Queued transfers whose `waiting.code` is one of `codes`. */
  abstract waitingSummary(codes: readonly ErrorCode[]): Promise<WaitingSummary>;
  /**
   * Records, in one command, that each of these events reached every subscriber, in any order (two instances
   * deliver one transfer's events). The transfer stops being pending when the mark completes its events.
   */
  abstract markEventsDelivered(marks: readonly EventMark[]): Promise<void>;
  /**
   * Ends a pending state the marks could not end (the last event was marked before an earlier one; a
   * transfer stored before deliveries were recorded), if every event is delivered.
   */
  abstract settleDeliveredEvents(transfer: Transfer): Promise<void>;
  /**
   * Transfers with undelivered events whose last event (or redelivery claim) is older than `quietSince`,
   * oldest first; writes without an event (leases, releases) do not count.
   */
  abstract findUndeliveredEvents(quietSince: Date, limit: number): Promise<Transfer[]>;
  /**
   * Takes a transfer found by findUndeliveredEvents for redelivery: false when another sweep took it or an
   * event was written since.
   */
  abstract claimRedelivery(transfer: Transfer): Promise<boolean>;
}
