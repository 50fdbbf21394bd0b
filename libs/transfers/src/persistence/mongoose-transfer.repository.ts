import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';

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
} from './transfer-commands';
import { toDomain } from './transfer.mapper';
import {
  EventMark,
  NewTransfer,
  TransferChanges,
  TransferListQuery,
  TransferRepository,
  TransferStatsRow,
  TransitionRequest,
  WaitingSummary,
} from './transfer.repository';
import { TransferDoc } from './transfer.schema';

const DUPLICATE_KEY = 11000;

@Injectable()
export class MongooseTransferRepository extends TransferRepository {
  constructor(@InjectModel(TransferDoc.name) private readonly model: Model<TransferDoc>) {
    super();
  }

  async insert(transfer: NewTransfer): Promise<Transfer | 'duplicate'> {
    const now = new Date();
    const doc: TransferDoc = { ...newTransferDoc(transfer, now), createdAt: now, updatedAt: now };
    try {
      // The driver's insert, not Model.create: the document is whole here (every default, the timestamps), and
      // building a Mongoose document of it (casting, validation, a save error object made up front) was most of
      // Mongoose's share of intake's CPU, 20.5% in the profile before, 8.6% after (BENCHMARKS.md, 2026-12-08).
      await this.model.collection.insertOne(doc as never, { ignoreUndefined: true });
      return toDomain(doc);
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

  async findByIdempotencyKeys(keys: readonly string[]): Promise<Transfer[]> {
    if (keys.length === 0) return [];
    const docs = await this.model.find({ idempotencyKey: { $in: [...keys] } }).lean<TransferDoc[]>();
    return docs.map(toDomain);
  }

  async findByTxid(txid: string): Promise<Transfer | null> {
    return this.one(txidFilter(txid));
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
    const doc = await this.model
      .findOneAndUpdate(claimDueFilter(statuses, now, disabledWallets), leaseUpdate(workerId, now, leaseMs), {
        new: true,
        sort: { nextAttemptAt: 1 },
      })
      .lean<TransferDoc>();
    return doc ? toDomain(doc) : null;
  }

  async transition(id: string, request: TransitionRequest): Promise<Transfer | null> {
    return this.findAndModify(transitionCommand(id, request, new Date()));
  }

  async update(
    id: string,
    guard: { status?: readonly TransferStatus[]; lockedBy?: string; where?: Record<string, unknown> },
    changes: TransferChanges,
  ): Promise<Transfer | null> {
    return this.findAndModify(updateCommand(id, guard, changes));
  }

  async release(id: string, workerId: string, changes: TransferChanges = {}): Promise<void> {
    const { filter, update } = releaseCommand(id, workerId, changes);
    await this.model.updateOne(filter, update);
  }

  async list(query: TransferListQuery): Promise<Transfer[]> {
    const filter = listFilter(query);
    const docs = await this.model
      .find(filter)
      .sort({ createdAt: -1, _id: -1 })
      .limit(query.limit)
      .lean<TransferDoc[]>();
    return docs.map(toDomain);
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

  private async findAndModify({ filter, update }: WriteCommand): Promise<Transfer | null> {
    const doc = await this.model.findOneAndUpdate(filter, update, { new: true }).lean<TransferDoc>();
    return doc ? toDomain(doc) : null;
  }

  private async one(filter: FilterQuery<TransferDoc>): Promise<Transfer | null> {
    // The driver's find: the filters here are plain strings, with nothing for Mongoose to cast, and a lean
    // query's answer is the driver's document anyway. A transfer under way read at 50 connections went from
    // 767-1,007 to 970-1,290 requests/s without the Query (BENCHMARKS.md, 2026-12-08).
    const doc = (await this.model.collection.findOne(
      filter as Record<string, unknown>,
    )) as TransferDoc | null;
    return doc ? toDomain(doc) : null;
  }

  async markQueuedWaiting(wallet: string, waiting: ProblemRecord): Promise<number> {
    const result = await this.model.updateMany({ status: 'approved', wallet }, { $set: { waiting } });
    return result.modifiedCount;
  }

  async waitingSummary(codes: readonly ErrorCode[]): Promise<WaitingSummary> {
    // Only the queued set is read (approved transfers, found by the status index), and only the waiting record.
    const docs = await this.model
      .find(waitingFilter(codes))
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
      // Bookkeeping of the outbox, not a change of the transfer: `updatedAt` stays (see `isFinal`).
      eventMarkCommands(marks).map(({ filter, update }) => ({
        updateOne: { filter, update, timestamps: false },
      })),
      { ordered: true },
    );
  }

  async settleDeliveredEvents(transfer: Transfer): Promise<void> {
    const { filter, update } = settleEventsCommand(transfer);
    await this.model.updateOne(filter, update, { timestamps: false });
  }

  async findUndeliveredEvents(quietSince: Date, limit: number): Promise<Transfer[]> {
    const docs = await this.model
      .find(undeliveredFilter(quietSince))
      .sort({ eventsTouchedAt: 1 })
      .limit(limit)
      .lean<TransferDoc[]>();
    return docs.map(toDomain);
  }

  async claimRedelivery(transfer: Transfer): Promise<boolean> {
    const { filter, update } = claimRedeliveryCommand(transfer, new Date());
    const result = await this.model.updateOne(filter, update, { timestamps: false });
    return result.modifiedCount === 1;
  }
}
