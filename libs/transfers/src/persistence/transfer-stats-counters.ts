import { BeforeApplicationShutdown, Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model, mongo } from 'mongoose';

import { OperationKind, TransferStatus } from '../domain/transfer';
import { TransferStatsRow } from './transfer.repository';
import { TransferStatsDoc } from './transfer-stats.schema';

const DUPLICATE_KEY = 11000;
const SINCE_ID = 'since';

/** One transfer event as the counters see it: the transfer moved `from` → `to` (no `from`: created). */
export interface CountedEvent {
  transferId: string;
  /** Its position in the transfer's history (1 = created). */
  event: number;
  day: string;
  kind: OperationKind;
  amountRaw: bigint;
  from?: TransferStatus;
  to: TransferStatus;
}

/** How long an event's update waits for others to join its write: a busy second costs a few commands. */
export const STATS_LINGER_MS = 50;
/** Updates written by one command at most. */
export const MAX_STATS_PER_WRITE = 500;

interface Waiting {
  event: CountedEvent;
  done: () => void;
  failed: (err: unknown) => void;
}

/**
 * Counts and volumes per creation day, kind and status, moved by each transfer event in one conditional
 * update of one document (the transfer's day, kind and shard), the updates of a moment written together in
 * one command: flat per event and per day read, the same on MongoDB and the embedded engine, where the
 * aggregation over all history it replaces scanned every transfer ever stored. An update applies only if
 * the event is not yet in the document's applied set, so an event delivered again after a crash, or twice at
 * once, is counted once.
 */
@Injectable()
export class TransferStatsCounters implements BeforeApplicationShutdown {
  private waiting: Waiting[] = [];
  private linger: NodeJS.Timeout | undefined;
  private writing = new Set<Promise<void>>();

  constructor(@InjectModel(TransferStatsDoc.name) private readonly model: Model<TransferStatsDoc>) {}

  /** Resolves once the event is counted (or found counted before). */
  apply(event: CountedEvent): Promise<void> {
    return new Promise<void>((done, failed) => {
      this.waiting.push({ event, done, failed });
      if (this.waiting.length >= MAX_STATS_PER_WRITE) this.flush();
      else this.linger ??= setTimeout(() => this.flush(), STATS_LINGER_MS);
    });
  }

  /** Updates taken before shutdown are written while the database is still connected. */
  async beforeApplicationShutdown(): Promise<void> {
    this.flush();
    await Promise.all(this.writing);
  }

  private flush(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    const batch = this.waiting.splice(0, this.waiting.length);
    if (!batch.length) return;
    const written = this.write(batch).finally(() => this.writing.delete(written));
    this.writing.add(written);
  }

  /**
   * One unordered bulk write. An upsert refused as a duplicate lost the race to create its document, or met
   * an event counted before: tried again alone, where the difference shows.
   */
  private async write(batch: Waiting[]): Promise<void> {
    let refused = new Set<number>();
    try {
      await this.model.collection.bulkWrite(
        batch.map(({ event }) => ({ updateOne: updateOf(event) })),
        { ordered: false },
      );
    } catch (err) {
      const writeErrors = (err as { writeErrors?: Array<{ index: number; code: number }> }).writeErrors;
      if (!writeErrors?.length || writeErrors.some((e) => e.code !== DUPLICATE_KEY)) {
        for (const waiting of batch) waiting.failed(err);
        return;
      }
      refused = new Set(writeErrors.map((e) => e.index));
    }
    await Promise.all(
      batch.map(async (waiting, i) => {
        try {
          if (refused.has(i)) await this.applyAlone(waiting.event);
          waiting.done();
        } catch (err) {
          waiting.failed(err);
        }
      }),
    );
  }

  private async applyAlone(event: CountedEvent): Promise<void> {
    const { filter, update, upsert } = updateOf(event);
    const once = () => this.model.collection.updateOne(filter, update, { upsert });
    try {
      await once();
    } catch (err) {
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
      // Either another event created the document first (the update now applies to it), or the document
      // exists and already holds this event, so the upsert tried to insert it again: counted before.
      try {
        await once();
      } catch (again) {
        if ((again as { code?: number }).code !== DUPLICATE_KEY) throw again;
      }
    }
  }

  /** The counted rows of these days (one read by index), summed over the shards. */
  async rows(days: readonly string[]): Promise<TransferStatsRow[]> {
    const docs = await this.model
      .find({ day: { $in: [...days] } })
      .select({ applied: 0 })
      .lean<TransferStatsDoc[]>();
    const rows = new Map<string, TransferStatsRow>();
    for (const doc of docs) {
      for (const [status, count] of Object.entries(doc.count ?? {})) {
        const key = `${doc.day}|${doc.kind}|${status}`;
        const row = rows.get(key) ?? {
          day: doc.day!,
          kind: doc.kind as OperationKind,
          status: status as TransferStatus,
          count: 0,
          amountRaw: 0n,
        };
        row.count += Number(count);
        row.amountRaw += BigInt(doc.amountRaw?.[status] ?? 0n);
        rows.set(key, row);
      }
    }
    return [...rows.values()].filter((row) => row.count !== 0);
  }

  /**
   * When counting started: transfers created before it are not in the counters (GET /stats reads them from
   * the transfers themselves). Recorded by the first instance that asks; every later one reads it.
   */
  async since(): Promise<Date> {
    const now = new Date();
    try {
      await this.model.updateOne({ _id: SINCE_ID }, { $setOnInsert: { since: now } }, { upsert: true });
    } catch (err) {
      if ((err as { code?: number }).code !== DUPLICATE_KEY) throw err;
    }
    const doc = await this.model.findById(SINCE_ID).lean<TransferStatsDoc>();
    return doc?.since ?? now;
  }
}

/** The conditional update that counts one event. */
function updateOf(event: CountedEvent): mongo.UpdateOneModel<mongo.Document> {
  const applied = `applied.${event.transferId}`;
  const inc: Record<string, number | bigint> = {
    [`count.${event.to}`]: 1,
    [`amountRaw.${event.to}`]: event.amountRaw,
  };
  if (event.from) {
    inc[`count.${event.from}`] = -1;
    inc[`amountRaw.${event.from}`] = -event.amountRaw;
  }
  return {
    // String ids: the driver's typings assume ObjectId.
    filter: {
      _id: shardId(event),
      [applied]: { $ne: event.event },
    } as unknown as mongo.Filter<mongo.Document>,
    update: {
      $inc: inc,
      $addToSet: { [applied]: event.event },
      $setOnInsert: { day: event.day, kind: event.kind },
    },
    upsert: true,
  };
}

/** The last hex digit of a transfer id (a UUID) spreads a day's transfers over sixteen documents. */
function shardId(event: CountedEvent): string {
  const shard = event.transferId.slice(-1).toLowerCase();
  return `${event.day}|${event.kind}|${/^[0-9a-f]$/.test(shard) ? shard : '0'}`;
}
