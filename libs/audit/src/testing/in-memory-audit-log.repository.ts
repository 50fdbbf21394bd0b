import type { AuditRecord, ChainHead } from '../domain/audit-record';
import { AuditListQuery, AuditLogRepository } from '../persistence/audit-log.repository';

/**
 * A hand-written fake of the audit log with the one property the chain relies on: a seq is taken at most
 * once. `yieldBetween` lets other appends run between reading the head and inserting, as another instance
 * sharing the database would.
 */
export class InMemoryAuditLogRepository extends AuditLogRepository {
  readonly records: AuditRecord[] = [];
  duplicateRefusals = 0;
  headReads = 0;

  constructor(private readonly yieldBetween = false) {
    super();
  }

  async head(): Promise<ChainHead | null> {
    this.headReads++;
    if (this.yieldBetween) await new Promise((resolve) => setImmediate(resolve));
    const top = this.records.reduce<AuditRecord | null>((a, r) => (!a || r.seq > a.seq ? r : a), null);
    return top ? { seq: top.seq, hash: top.hash } : null;
  }

  insertCalls = 0;

  async insertChain(records: readonly AuditRecord[]): Promise<number> {
    this.insertCalls++;
    if (this.yieldBetween) await new Promise((resolve) => setImmediate(resolve));
    for (const [stored, record] of records.entries()) {
      if (this.records.some((r) => r.seq === record.seq)) {
        this.duplicateRefusals++;
        return stored;
      }
      this.records.push(structuredClone(record));
    }
    return records.length;
  }

  list(query: AuditListQuery): Promise<AuditRecord[]> {
    return Promise.resolve(
      [...this.records]
        .sort((a, b) => b.seq - a.seq)
        .filter((r) => query.beforeSeq === undefined || r.seq < query.beforeSeq)
        .filter((r) => query.action === undefined || r.action === query.action)
        .slice(0, query.limit),
    );
  }

  async *inSeqOrder(): AsyncIterable<AuditRecord> {
    await Promise.resolve();
    yield* [...this.records].sort((a, b) => a.seq - b.seq);
  }
}
