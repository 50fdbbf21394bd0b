import { Query, update as applyUpdate } from 'mingo';
import type { FilterQuery, UpdateQuery } from 'mongoose';

import { ErrorCode } from '@app/common';

import { ProblemRecord, Transfer, TransferStatus } from '../domain/transfer';
import {
  claimDueFilter,
  claimRedeliveryCommand,
  eventMarkCommands,
  leaseUpdate,
  listFilter,
  newTransferDoc,
  releaseCommand,
  settleEventsCommand,
  transitionCommand,
  txidFilter,
  undeliveredFilter,
  updateCommand,
  waitingFilter,
  WriteCommand,
} from '../persistence/transfer-commands';
import { toDomain } from '../persistence/transfer.mapper';
import {
  EventMark,
  NewTransfer,
  TransferChanges,
  TransferListQuery,
  TransferRepository,
  TransferStatsRow,
  TransitionRequest,
  WaitingSummary,
} from '../persistence/transfer.repository';
import { TransferDoc } from '../persistence/transfer.schema';

type StoredDoc = TransferDoc & Record<string, unknown>;

/** The outbox's bookkeeping leaves `updatedAt` as it was, as the Mongoose repository's does. */
const BOOKKEEPING = { stamp: false };

/**
 * The transfer repository's contract in memory, for unit specs of the money path. It runs the very filters
 * and updates the MongoDB repository sends (transfer-commands), evaluated by mingo, so a guard that would
 * not hold on the database does not hold here either. Every write is atomic (one synchronous step), like a
 * single-document write on MongoDB, and what it returns is a copy, never the stored document.
 */
export class InMemoryTransferRepository extends TransferRepository {
  private readonly docs = new Map<string, StoredDoc>();

  /** Every stored transfer as the repository would return it. */
  all(): Transfer[] {
    return [...this.docs.values()].map(toDomain);
  }

  insert(transfer: NewTransfer): Promise<Transfer | 'duplicate'> {
    const clash = [...this.docs.values()].some(
      (doc) => doc._id === transfer.id || doc.idempotencyKey === transfer.idempotencyKey,
    );
    if (clash) return Promise.resolve('duplicate');
    const now = new Date();
    const doc = { ...copy(newTransferDoc(transfer, now)), createdAt: now, updatedAt: now };
    this.docs.set(transfer.id, doc);
    return Promise.resolve(toDomain(copy(doc) as StoredDoc));
  }

  findById(id: string): Promise<Transfer | null> {
    return this.one({ _id: id });
  }

  findByIdempotencyKey(key: string): Promise<Transfer | null> {
    return this.one({ idempotencyKey: key });
  }

  findByIdempotencyKeys(keys: readonly string[]): Promise<Transfer[]> {
    return this.found(this.matching({ idempotencyKey: { $in: [...keys] } }));
  }

  findByTxid(txid: string): Promise<Transfer | null> {
    return this.one(txidFilter(txid));
  }

  findByBatch(batchId: string): Promise<Transfer[]> {
    return this.found(this.matching({ batchId }, (a, b) => order(a.createdAt, b.createdAt, a._id, b._id)));
  }

  claimDue(
    statuses: readonly TransferStatus[],
    workerId: string,
    leaseMs: number,
    disabledWallets: readonly string[] = [],
  ): Promise<Transfer | null> {
    const now = new Date();
    const [due] = this.matching(
      claimDueFilter(statuses, now, disabledWallets),
      (a, b) => a.nextAttemptAt.getTime() - b.nextAttemptAt.getTime(),
    );
    if (!due) return Promise.resolve(null);
    return Promise.resolve(this.apply(due, leaseUpdate(workerId, now, leaseMs)));
  }

  // async, as the database's: a move the state machine forbids is a rejected promise, not a throw.
  async transition(id: string, request: TransitionRequest): Promise<Transfer | null> {
    return Promise.resolve(this.findAndModify(transitionCommand(id, request, new Date())));
  }

  update(
    id: string,
    guard: { status?: readonly TransferStatus[]; lockedBy?: string; where?: Record<string, unknown> },
    changes: TransferChanges,
  ): Promise<Transfer | null> {
    return Promise.resolve(this.findAndModify(updateCommand(id, guard, changes)));
  }

  async release(id: string, workerId: string, changes: TransferChanges = {}): Promise<void> {
    await Promise.resolve(this.findAndModify(releaseCommand(id, workerId, changes)));
  }

  list(query: TransferListQuery): Promise<Transfer[]> {
    const newestFirst = this.matching(listFilter(query), (a, b) =>
      order(b.createdAt, a.createdAt, b._id, a._id),
    );
    return this.found(newestFirst.slice(0, query.limit));
  }

  countByStatus(statuses: readonly TransferStatus[]): Promise<number> {
    return Promise.resolve(this.matching({ status: { $in: statuses } }).length);
  }

  oldestUpdateIn(statuses: readonly TransferStatus[]): Promise<Date | null> {
    const [oldest] = this.matching(
      { status: { $in: statuses } },
      (a, b) => a.updatedAt.getTime() - b.updatedAt.getTime(),
    );
    return Promise.resolve(oldest?.updatedAt ?? null);
  }

  stats(since: Date, before: Date): Promise<TransferStatsRow[]> {
    const rows = new Map<string, TransferStatsRow>();
    for (const doc of this.matching({ createdAt: { $gte: since, $lt: before } })) {
      const key = `${doc.status}/${doc.kind}/${doc.day}`;
      const row = rows.get(key) ?? {
        status: doc.status,
        kind: doc.kind,
        day: doc.day,
        count: 0,
        amountRaw: 0n,
      };
      row.count += 1;
      row.amountRaw += doc.amountRaw;
      rows.set(key, row);
    }
    return Promise.resolve([...rows.values()]);
  }

  existsCreatedBefore(moment: Date): Promise<boolean> {
    return Promise.resolve(this.matching({ createdAt: { $lt: moment } }).length > 0);
  }

  markQueuedWaiting(wallet: string, waiting: ProblemRecord): Promise<number> {
    const queued = this.matching({ status: 'approved', wallet });
    for (const doc of queued) this.apply(doc, { $set: { waiting } });
    return Promise.resolve(queued.length);
  }

  waitingSummary(codes: readonly ErrorCode[]): Promise<WaitingSummary> {
    const byCode: WaitingSummary['byCode'] = {};
    let oldestSince: Date | null = null;
    const waiting = this.matching(waitingFilter(codes)).map((doc) => doc.waiting!);
    for (const { code, at } of waiting) {
      byCode[code as ErrorCode] = (byCode[code as ErrorCode] ?? 0) + 1;
      if (!oldestSince || at < oldestSince) oldestSince = at;
    }
    return Promise.resolve({ byCode, total: waiting.length, oldestSince });
  }

  markEventsDelivered(marks: readonly EventMark[]): Promise<void> {
    for (const command of eventMarkCommands(marks)) this.findAndModify(command, BOOKKEEPING);
    return Promise.resolve();
  }

  settleDeliveredEvents(transfer: Transfer): Promise<void> {
    this.findAndModify(settleEventsCommand(transfer), BOOKKEEPING);
    return Promise.resolve();
  }

  findUndeliveredEvents(quietSince: Date, limit: number): Promise<Transfer[]> {
    const oldestFirst = this.matching(
      undeliveredFilter(quietSince),
      (a, b) => (a.eventsTouchedAt?.getTime() ?? 0) - (b.eventsTouchedAt?.getTime() ?? 0),
    );
    return this.found(oldestFirst.slice(0, limit));
  }

  claimRedelivery(transfer: Transfer): Promise<boolean> {
    const claimed = this.findAndModify(claimRedeliveryCommand(transfer, new Date()), BOOKKEEPING);
    return Promise.resolve(claimed !== null);
  }

  private findAndModify({ filter, update }: WriteCommand, { stamp } = { stamp: true }): Transfer | null {
    const [doc] = this.matching(filter);
    return doc ? this.apply(doc, update, stamp) : null;
  }

  /**
   * The update applied to a copy, stored whole: a reader holding the old document never sees it change.
   * `updatedAt` is set as Mongoose's timestamps set it, except for the outbox's bookkeeping.
   */
  private apply(doc: StoredDoc, update: UpdateQuery<TransferDoc>, stamp = true): Transfer {
    const next = copy(doc);
    applyUpdate(next, stamp ? { ...update, $set: { ...update.$set, updatedAt: new Date() } } : update);
    this.docs.set(next._id, next);
    return toDomain(copy(next));
  }

  private matching(
    filter: FilterQuery<TransferDoc>,
    sort?: (a: StoredDoc, b: StoredDoc) => number,
  ): StoredDoc[] {
    const query = new Query(filter);
    const docs = [...this.docs.values()].filter((doc) => query.test(doc));
    return sort ? docs.sort(sort) : docs;
  }

  private one(filter: FilterQuery<TransferDoc>): Promise<Transfer | null> {
    const [doc] = this.matching(filter);
    return Promise.resolve(doc ? toDomain(copy(doc)) : null);
  }

  private found(docs: StoredDoc[]): Promise<Transfer[]> {
    return Promise.resolve(docs.map((doc) => toDomain(copy(doc))));
  }
}

/**
 * A deep copy of a stored document (plain objects, arrays, dates, bigints). Not structuredClone: under Jest
 * its dates come from another realm, fail `instanceof Date`, and mingo no longer compares them as dates.
 */
function copy<T>(value: T): T {
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(copy) as T;
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, copy(inner)])) as T;
  }
  return value;
}

function order(a: Date, b: Date, tieA: string, tieB: string): number {
  return a.getTime() - b.getTime() || (tieA < tieB ? -1 : tieA > tieB ? 1 : 0);
}
