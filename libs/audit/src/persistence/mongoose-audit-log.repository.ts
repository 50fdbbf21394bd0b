import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';

import { databaseUnavailable, isDuplicateKeyError } from '@app/database';

import { AuditRecord, ChainHead } from '../domain/audit-record';
import { AuditListQuery, AuditLogRepository } from './audit-log.repository';
import { AuditRecordLean, AuditRecordMapper } from './audit-record.mapper';
import { AuditRecordDoc } from './audit-record.schema';

const WHAT = 'audit log';

/** Zero-padded so that `_id` order is seq order on both engines. */
export function recordId(seq: number): string {
  return String(seq).padStart(12, '0');
}

@Injectable()
export class MongooseAuditLogRepository extends AuditLogRepository {
  constructor(@InjectModel(AuditRecordDoc.name) private readonly model: Model<AuditRecordDoc>) {
    super();
  }

  async head(after?: ChainHead): Promise<ChainHead | null> {
    if (after) return this.walkForward(after);
    const doc = await this.run(() =>
      this.model
        .findOne()
        .sort({ seq: -1 })
        .select({ _id: 0, seq: 1, hash: 1 })
        .lean<Pick<AuditRecordDoc, 'seq' | 'hash'>>()
        .exec(),
    );
    return doc ? { seq: doc.seq, hash: doc.hash } : null;
  }

  /**
   * From a known record to the last one by `_id` lookups, which both engines answer from the primary key
   * (the embedded engine scans the whole collection for any other filter or sort).
   */
  private async walkForward(from: ChainHead): Promise<ChainHead> {
    let head = from;
    for (;;) {
      const next = await this.run(() =>
        this.model
          .findById(recordId(head.seq + 1))
          .select({ _id: 0, seq: 1, hash: 1 })
          .lean<Pick<AuditRecordDoc, 'seq' | 'hash'>>()
          .exec(),
      );
      if (!next) return head;
      head = { seq: next.seq, hash: next.hash };
    }
  }

  async insertChain(records: readonly AuditRecord[]): Promise<number> {
    const docs = records.map((record) => ({
      _id: recordId(record.seq),
      ...AuditRecordMapper.toPersistence(record),
    }));
    try {
      // Ordered: the engine stops at the first taken seq, and everything before it is stored. The driver's
      // insert, as for new transfers: the records are whole, with nothing for Mongoose to cast.
      await this.model.collection.insertMany(docs as never[], { ordered: true, ignoreUndefined: true });
      return docs.length;
    } catch (err) {
      const stopped = firstWriteError(err);
      if (stopped && isDuplicateKeyError(stopped)) return stopped.index;
      throw databaseUnavailable(err, WHAT);
    }
  }

  async list(query: AuditListQuery): Promise<AuditRecord[]> {
    const filter: FilterQuery<AuditRecordDoc> = {};
    if (query.action !== undefined) filter.action = query.action;
    if (query.actorId !== undefined) filter['actor.id'] = query.actorId;
    if (query.subjectType !== undefined) filter['subject.type'] = query.subjectType;
    if (query.subjectId !== undefined) filter['subject.id'] = query.subjectId;
    if (query.from || query.until) {
      filter.at = { ...(query.from && { $gte: query.from }), ...(query.until && { $lt: query.until }) };
    }
    if (query.beforeSeq !== undefined) filter.seq = { $lt: query.beforeSeq };
    const docs = await this.run(() =>
      this.model.find(filter).sort({ seq: -1 }).limit(query.limit).lean<AuditRecordLean[]>().exec(),
    );
    return docs.map((doc) => AuditRecordMapper.toDomain(doc));
  }

  async *inSeqOrder(batchSize: number): AsyncIterable<AuditRecord> {
    try {
      const cursor = this.model.find().sort({ seq: 1 }).lean<AuditRecordLean[]>().cursor({ batchSize });
      try {
        for await (const doc of cursor) yield AuditRecordMapper.toDomain(doc);
      } finally {
        await cursor.close();
      }
    } catch (err) {
      throw databaseUnavailable(err, WHAT);
    }
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw databaseUnavailable(err, WHAT);
    }
  }
}

/** Where an ordered insertMany stopped and why: the first write error, if the failure was one. */
function firstWriteError(err: unknown): { index: number; code?: unknown } | undefined {
  const { writeErrors } = err as { writeErrors?: unknown };
  // The driver's WriteError has the code itself; Mongoose's insertMany hands the raw one, code under `err`.
  const first = (Array.isArray(writeErrors) ? writeErrors[0] : writeErrors) as
    { index?: unknown; code?: unknown; err?: { code?: unknown } } | undefined;
  return typeof first?.index === 'number'
    ? { index: first.index, code: first.code ?? first.err?.code }
    : undefined;
}
