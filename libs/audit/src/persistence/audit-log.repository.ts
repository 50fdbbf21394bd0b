import type { AuditRecord, ChainHead } from '../domain/audit-record';

export interface AuditListQuery {
  action?: string;
  actorId?: string;
  subjectType?: string;
  subjectId?: string;
  /** `at` on or after. */
  from?: Date;
  /** `at` before. */
  until?: Date;
  /** Only records with a lower seq (the previous page's last one). */
  beforeSeq?: number;
  limit: number;
}

/**
 * The `audit_log` collection: insert and read, never update or delete. An abstract class so that it is its
 * own DI token and unit tests can hand-write a fake.
 */
export abstract class AuditLogRepository {
  /**
   * The record with the highest seq, or null for an empty log. `after` is a head known to exist (a stale
   * one): the search then walks forward from it instead of reading the whole log.
   */
  abstract head(after?: ChainHead): Promise<ChainHead | null>;
  /**
   * Stores consecutive records in order, in one command, and says how many were stored from the first: it stops
   * at the first whose seq is already taken (another writer extended the chain first).
   */
  abstract insertChain(records: readonly AuditRecord[]): Promise<number>;
  /** Newest first. */
  abstract list(query: AuditListQuery): Promise<AuditRecord[]>;
  /**
   * Every record in seq order through one database cursor that fetches `batchSize` at a time, so the whole
   * log is never in memory at once (and the embedded engine sorts it once, not once per batch).
   */
  abstract inSeqOrder(batchSize: number): AsyncIterable<AuditRecord>;
}
