import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { databaseUnavailable, isDuplicateKeyError } from '@app/database';

import { WindowEntry } from '../domain/sliding-window';
import {
  LimitCounterRepository,
  SumReservationRequest,
  SumReservationResult,
  WindowState,
} from './limit-counter.repository';
import { LimitCounterDoc, WindowEntryDoc } from './limit-counter.schema';

/** Two upserts creating the same counter at once: the loser sees E11000 with room left and tries again. */
const MAX_UPSERT_ATTEMPTS = 5;
/** Release markers share the collection: `released:<transferId>`. */
const RELEASED_PREFIX = 'released:';

const big = (value: unknown): bigint =>
  typeof value === 'bigint' ? value : BigInt((value as number | string | undefined) ?? 0);

@Injectable()
export class MongooseLimitCounterRepository extends LimitCounterRepository {
  constructor(@InjectModel(LimitCounterDoc.name) private readonly model: Model<LimitCounterDoc>) {
    super();
  }

  /**
   * `updateOne({ _id, used <= max - amount }, { $inc }, { upsert })`. When the counter exists but the filter
   * fails, the upsert tries to insert the same `_id` and the unique index answers E11000: the counter is read
   * to tell "full" from "lost a creation race".
   */
  async reserveSum(request: SumReservationRequest): Promise<SumReservationResult> {
    const { key, max, amountRaw } = request;
    if (amountRaw > max) return { status: 'exceeded', used: await this.usedOf(key) };
    for (let attempt = 1; ; attempt++) {
      if (await this.addWithin(request)) return { status: 'reserved' };
      const used = await this.usedOf(key);
      if (used + amountRaw > max || attempt >= MAX_UPSERT_ATTEMPTS) return { status: 'exceeded', used };
    }
  }

  async reserveSumsTogether(requests: readonly SumReservationRequest[]): Promise<boolean[]> {
    const added = requests.map((request) => request.amountRaw <= request.max);
    const sent = requests.flatMap((request, index) => (added[index] ? [index] : []));
    if (sent.length === 0) return added;
    try {
      // Unordered: a counter with no room fails its own statement (a duplicate key, as in `addWithin`) and the
      // others still apply.
      await this.model.bulkWrite(
        sent.map((index) => ({ updateOne: addWithinStatement(requests[index]) })),
        { ordered: false },
      );
    } catch (err) {
      const failed = writeErrorsOf(err);
      if (!failed || failed.some((write) => !isDuplicateKeyError(write))) {
        throw databaseUnavailable(err, 'limit counters');
      }
      for (const write of failed) added[sent[write.index]] = false;
    }
    return added;
  }

  async takeBack(key: string, amountRaw: bigint): Promise<void> {
    await this.run(() => this.model.updateOne({ _id: key }, { $inc: { used: -amountRaw } }).exec());
  }

  async markReleased(transferId: string, expiresAt: Date): Promise<boolean> {
    try {
      await this.model.collection.insertOne({ _id: `${RELEASED_PREFIX}${transferId}`, expiresAt } as never);
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw databaseUnavailable(err, 'limit counters');
    }
  }

  /** The conditional upsert; false when the counter exists and has no room (or was created meanwhile). */
  private async addWithin(request: SumReservationRequest): Promise<boolean> {
    const { filter, update, upsert } = addWithinStatement(request);
    try {
      await this.model.updateOne(filter, update, { upsert }).exec();
      return true;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw databaseUnavailable(err, 'limit counters');
    }
  }

  async readWindow(key: string): Promise<WindowState | null> {
    const doc = await this.run(() =>
      this.model
        .findById(key)
        .select({ entries: 1, revision: 1, expiresAt: 1 })
        .lean<LimitCounterDoc>()
        .exec(),
    );
    if (!doc) return null;
    return {
      revision: doc.revision ?? 0,
      expiresAt: new Date(doc.expiresAt),
      entries: (doc.entries ?? []).map((entry) => ({
        id: entry.id,
        amountRaw: big(entry.amountRaw),
        at: new Date(entry.at),
      })),
    };
  }

  async writeWindow(
    key: string,
    expectedRevision: number | null,
    entries: WindowEntry[],
    expiresAt: Date,
  ): Promise<boolean> {
    const stored: WindowEntryDoc[] = entries.map(({ id, amountRaw, at }) => ({ id, amountRaw, at }));
    try {
      if (expectedRevision === null) {
        // The driver's insert, as for new transfers: the document is whole, with nothing for Mongoose to cast.
        await this.model.collection.insertOne({ _id: key, entries: stored, revision: 1, expiresAt } as never);
        return true;
      }
      const updated = await this.model
        .updateOne(
          { _id: key, revision: expectedRevision },
          { $set: { entries: stored, expiresAt, revision: expectedRevision + 1 } },
        )
        .exec();
      return updated.matchedCount === 1;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw databaseUnavailable(err, 'limit counters');
    }
  }

  async deleteExpired(now: Date): Promise<number> {
    const result = await this.run(() => this.model.deleteMany({ expiresAt: { $lt: now } }).exec());
    return result.deletedCount;
  }

  private async usedOf(key: string): Promise<bigint> {
    const doc = await this.run(() =>
      this.model.findById(key).select({ used: 1 }).lean<LimitCounterDoc>().exec(),
    );
    return big(doc?.used);
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw databaseUnavailable(err, 'limit counters');
    }
  }
}

/**
 * Adds to a sum counter only while it stays within `max`, creating it if needed. A counter that exists without
 * room does not match, so the upsert tries to create it again and fails with a duplicate key: no room.
 */
function addWithinStatement({ key, max, amountRaw, expiresAt }: SumReservationRequest) {
  return {
    filter: { _id: key, used: { $lte: max - amountRaw } },
    update: { $inc: { used: amountRaw }, $setOnInsert: { expiresAt } },
    upsert: true,
  };
}

/** The failed statements of a bulk write that the server answered (each with its index), else undefined. */
function writeErrorsOf(err: unknown): Array<{ index: number; code?: number }> | undefined {
  const writeErrors = (err as { writeErrors?: unknown }).writeErrors;
  if (Array.isArray(writeErrors)) return writeErrors as Array<{ index: number; code?: number }>;
  return writeErrors && typeof writeErrors === 'object'
    ? [writeErrors as { index: number; code?: number }]
    : undefined;
}
