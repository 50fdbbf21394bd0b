import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model, UpdateQuery } from 'mongoose';

import { ErrorCode } from '@app/common';

import { canTransition, ProblemRecord, Transfer, TransferStatus } from '../domain/transfer';
import { toDomain } from './transfer.mapper';
import {
  EventMark,
  NewTransfer,
  PendingOutflow,
  TransferChanges,
  TransferListQuery,
  TransferRepository,
  TransferStatsRow,
  TransitionRequest,
  WaitingSummary,
} from './transfer.repository';
import { TransferDoc } from './transfer.schema';

const DUPLICATE_KEY = 11000;
const EVENTS_PENDING = 'yes';

@Injectable()
export class MongooseTransferRepository extends TransferRepository {
  constructor(@InjectModel(TransferDoc.name) private readonly model: Model<TransferDoc>) {
    super();
  }

  async insert(transfer: NewTransfer): Promise<Transfer | 'duplicate'> {
    const now = new Date();
    try {
      const created = await this.model.create({
        _id: transfer.id,
        ...transfer,
        day: now.toISOString().slice(0, 10),
        nextAttemptAt: now,
        history: [{ status: transfer.status, at: now, by: transfer.requestedBy }],
        deliveredEvents: [],
        eventsPending: EVENTS_PENDING,
      });
      return toDomain(created.toObject<TransferDoc>());
    } catch (err) {
      if ((err as { code?: number }).code === DUPLICATE_KEY) return 'duplicate';
      throw err;
    }
  }

  async findById(id: string): Promise<Transfer | null> {
    return this.one({ _id: id });
  }

  async findByIdempotencyKey(key: string): Promise<Transfer | null> {
    return this.one({ idempotencyKey: key });
  }

  async findByTxid(txid: string): Promise<Transfer | null> {
    return this.one({ $or: [{ 'tx.txid': txid }, { supersededTxids: txid }] });
  }

  async findByBatch(batchId: string): Promise<Transfer[]> {
    const docs = await this.model.find({ batchId }).sort({ createdAt: 1, _id: 1 }).lean<TransferDoc[]>();
    return docs.map(toDomain);
  }

  async claimDue(
    statuses: readonly TransferStatus[],
    workerId: string,
    leaseMs: number,
    disabledWallets: readonly string[] = [],
  ): Promise<Transfer | null> {
    const now = new Date();
    const free = { $or: [{ lockedUntil: null }, { lockedUntil: { $lt: now } }] };
    const notParked = {
      $or: [
        { status: { $ne: 'approved' } },
        { wallet: { $nin: disabledWallets } },
        { 'waiting.code': { $ne: ErrorCode.WALLET_DISABLED } },
      ],
    };
    const doc = await this.model
      .findOneAndUpdate(
        {
          status: { $in: statuses },
          nextAttemptAt: { $lte: now },
          ...(disabledWallets.length ? { $and: [free, notParked] } : free),
        },
        { $set: { lockedBy: workerId, lockedUntil: new Date(now.getTime() + leaseMs) } },
        { new: true, sort: { nextAttemptAt: 1 } },
      )
      .lean<TransferDoc>();
    return doc ? toDomain(doc) : null;
  }

  async transition(id: string, request: TransitionRequest): Promise<Transfer | null> {
    assertAllowed(request.from, request.to);
    const filter: FilterQuery<TransferDoc> = { _id: id, status: { $in: request.from }, ...request.where };
    if (request.lockedBy) filter.lockedBy = request.lockedBy;
    const update = buildUpdate(request);
    // The move's event is its history entry, written with it: pending until every subscriber has it.
    update.$set = { ...update.$set, status: request.to, eventsPending: EVENTS_PENDING };
    if (request.release) Object.assign(update.$set, { lockedBy: null, lockedUntil: null });
    update.$push = {
      ...(update.$push as object),
      history: { status: request.to, at: new Date(), by: request.by, note: request.note },
    };
    const doc = await this.model.findOneAndUpdate(filter, update, { new: true }).lean<TransferDoc>();
    return doc ? toDomain(doc) : null;
  }

  async update(
    id: string,
    guard: { status?: readonly TransferStatus[]; lockedBy?: string; where?: Record<string, unknown> },
    changes: TransferChanges,
  ): Promise<Transfer | null> {
    const filter: FilterQuery<TransferDoc> = { _id: id, ...guard.where };
    if (guard.status) filter.status = { $in: guard.status };
    if (guard.lockedBy) filter.lockedBy = guard.lockedBy;
    const doc = await this.model
      .findOneAndUpdate(filter, buildUpdate(changes), { new: true })
      .lean<TransferDoc>();
    return doc ? toDomain(doc) : null;
  }

  async release(id: string, workerId: string, changes: TransferChanges = {}): Promise<void> {
    const update = buildUpdate(changes);
    update.$set = { ...update.$set, lockedBy: null, lockedUntil: null };
    await this.model.updateOne({ _id: id, lockedBy: workerId }, update);
  }

  async list(query: TransferListQuery): Promise<Transfer[]> {
    const filter: FilterQuery<TransferDoc> = {};
    if (query.status) filter.status = query.status;
    if (query.kind) filter.kind = query.kind;
    if (query.wallet) filter.wallet = query.wallet;
    if (query.to) filter.to = query.to;
    if (query.batchId) filter.batchId = query.batchId;
    if (query.reference) filter.reference = query.reference;
    if (query.expiringBefore) filter['governance.expiresAt'] = { $lt: query.expiringBefore };
    if (query.createdFrom || query.createdBefore) {
      filter.createdAt = {
        ...(query.createdFrom && { $gte: query.createdFrom }),
        ...(query.createdBefore && { $lt: query.createdBefore }),
      };
    }
    if (query.cursor) {
      const { createdAt, id } = query.cursor;
      filter.$and = [{ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }] }];
    }
    const docs = await this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit)
      .lean<TransferDoc[]>();
    return docs.map(toDomain);
  }

  // Finds, not aggregations: the embedded engine answers an aggregation (and `countDocuments`, which is one) by
  // scanning the collection, a find from the `status` index. Both read only the small in-flight set.
  async pendingOutflow(wallet: string): Promise<PendingOutflow> {
    const docs = await this.model
      .find({ wallet, status: { $in: ['signed', 'broadcast'] }, receipt: { $exists: false } })
      .select({ _id: 0, kind: 1, amountRaw: 1, estimatedFeeSun: 1 })
      .lean<Array<Pick<TransferDoc, 'kind' | 'amountRaw' | 'estimatedFeeSun'>>>();
    let usdtRaw = 0n;
    let feeSun = 0n;
    for (const doc of docs) {
      if (doc.kind === 'transfer') usdtRaw += BigInt(doc.amountRaw);
      feeSun += BigInt(doc.estimatedFeeSun ?? 0);
    }
    return { usdtRaw, feeSun };
  }

  async countByStatus(statuses: readonly TransferStatus[]): Promise<number> {
    const docs = await this.model
      .find({ status: { $in: statuses } })
      .select({ _id: 1 })
      .lean<Array<{ _id: string }>>();
    return docs.length;
  }

  async oldestUpdateIn(statuses: readonly TransferStatus[]): Promise<Date | null> {
    const doc = await this.model
      .findOne({ status: { $in: statuses } })
      .sort({ updatedAt: 1 })
      .select({ updatedAt: 1 })
      .lean<{ updatedAt: Date }>();
    return doc?.updatedAt ?? null;
  }

  async stats(since: Date, before: Date): Promise<TransferStatsRow[]> {
    const rows = await this.model.aggregate<{
      _id: { status: TransferStatus; kind: TransferStatsRow['kind']; day: string };
      count: number;
      amountRaw: bigint | number;
    }>([
      { $match: { createdAt: { $gte: since, $lt: before } } },
      {
        $group: {
          _id: { status: '$status', kind: '$kind', day: '$day' },
          count: { $sum: 1 },
          amountRaw: { $sum: '$amountRaw' },
        },
      },
    ]);
    return rows.map((row) => ({ ...row._id, count: row.count, amountRaw: BigInt(row.amountRaw) }));
  }

  async existsCreatedBefore(moment: Date): Promise<boolean> {
    return (await this.model.exists({ createdAt: { $lt: moment } })) !== null;
  }

  private async one(filter: FilterQuery<TransferDoc>): Promise<Transfer | null> {
    const doc = await this.model.findOne(filter).lean<TransferDoc>();
    return doc ? toDomain(doc) : null;
  }

  async markQueuedWaiting(wallet: string, waiting: ProblemRecord): Promise<number> {
    const result = await this.model.updateMany({ status: 'approved', wallet }, { $set: { waiting } });
    return result.modifiedCount;
  }

  async waitingSummary(codes: readonly ErrorCode[]): Promise<WaitingSummary> {
    // Only the queued set is read (approved transfers, found by the status index), and only the waiting record.
    const docs = await this.model
      .find({ status: 'approved', 'waiting.code': { $in: codes } })
      .select({ 'waiting.code': 1, 'waiting.at': 1 })
      .lean<Array<{ waiting: { code: ErrorCode; at: Date } }>>();
    const byCode: WaitingSummary['byCode'] = {};
    let oldestSince: Date | null = null;
    for (const { waiting } of docs) {
      byCode[waiting.code] = (byCode[waiting.code] ?? 0) + 1;
      const since = new Date(waiting.at);
      if (!oldestSince || since < oldestSince) oldestSince = since;
    }
    return { byCode, total: docs.length, oldestSince };
  }

  async markEventsDelivered(marks: readonly EventMark[]): Promise<void> {
    if (!marks.length) return;
    await this.model.bulkWrite(
      marks.flatMap(({ id, event }) => [
        // The mark that completes the set: the last event, every one before it already marked (n - 1
        // distinct marks below n). It also ends the pending state.
        {
          updateOne: {
            filter: { _id: id, history: { $size: event }, deliveredEvents: { $size: event - 1, $ne: event } },
            update: { $addToSet: { deliveredEvents: event }, $unset: { eventsPending: 1 } },
          },
        },
        // Any other: only recorded (never on a transfer stored before deliveries were, which has no set).
        {
          updateOne: {
            filter: { _id: id, deliveredEvents: { $exists: true } },
            update: { $addToSet: { deliveredEvents: event } },
          },
        },
      ]),
      { ordered: true },
    );
  }

  async settleDeliveredEvents(transfer: Transfer): Promise<void> {
    const events = transfer.history.length;
    await this.model.updateOne(
      {
        _id: transfer.id,
        history: { $size: events },
        ...(transfer.deliveredEvents
          ? { deliveredEvents: { $size: events } }
          : { deliveredEvents: { $exists: false } }),
      },
      { $unset: { eventsPending: 1 } },
    );
  }

  async findUndeliveredEvents(quietSince: Date, limit: number): Promise<Transfer[]> {
    const docs = await this.model
      .find({ eventsPending: EVENTS_PENDING, updatedAt: { $lt: quietSince } })
      .sort({ updatedAt: 1 })
      .limit(limit)
      .lean<TransferDoc[]>();
    return docs.map(toDomain);
  }

  async claimRedelivery(transfer: Transfer): Promise<boolean> {
    const result = await this.model.updateOne(
      { _id: transfer.id, eventsPending: EVENTS_PENDING, updatedAt: transfer.updatedAt },
      { $set: { eventsRedeliveredAt: new Date() } },
    );
    return result.modifiedCount === 1;
  }
}

/** A move the state machine forbids is a bug in the caller, refused before it reaches the database. */
function assertAllowed(from: readonly TransferStatus[], to: TransferStatus): void {
  const forbidden = from.filter((status) => !canTransition(status, to));
  if (forbidden.length) throw new Error(`transfer state machine forbids ${forbidden.join('|')} -> ${to}`);
}

function buildUpdate(changes: TransferChanges): UpdateQuery<TransferDoc> {
  const update: UpdateQuery<TransferDoc> = {};
  if (changes.set) update.$set = { ...changes.set };
  if (changes.unset?.length) update.$unset = Object.fromEntries(changes.unset.map((field) => [field, 1]));
  if (changes.inc) update.$inc = changes.inc;
  if (changes.pushSupersededTxid) update.$push = { supersededTxids: changes.pushSupersededTxid };
  return update;
}
