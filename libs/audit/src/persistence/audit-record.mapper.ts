import type { AuditRecord } from '../domain/audit-record';
import type { AuditRecordDoc } from './audit-record.schema';

/** A lean document: what the collection holds, plus the `_id` the database adds. */
export type AuditRecordLean = AuditRecordDoc & { _id?: unknown };

/**
 * Copies fields exactly as stored, without coercion: the verifier must hash what is in the database, so a
 * tampered value has to reach it unchanged. Absent fields stay absent (never `null`).
 */
export const AuditRecordMapper = {
  toDomain(doc: AuditRecordLean): AuditRecord {
    return {
      seq: doc.seq,
      at: doc.at,
      action: doc.action,
      ...(doc.subject !== undefined && { subject: doc.subject }),
      actor: doc.actor,
      ...(doc.before !== undefined && { before: doc.before }),
      ...(doc.after !== undefined && { after: doc.after }),
      ...(doc.details !== undefined && { details: doc.details }),
      prevHash: doc.prevHash,
      hash: doc.hash,
    };
  },

  toPersistence(record: AuditRecord): AuditRecordDoc {
    return { ...record };
  },
};
