import type { AuditActor } from '../audit-trail';
import { AuditRecord, parsePayload } from './audit-record';

/** A record as the API shows it: payloads back as data, the date as ISO text, the chain fields included. */
export interface AuditRecordView {
  seq: number;
  at: string;
  action: string;
  subject?: { type: string; id: string };
  actor: AuditActor;
  before?: unknown;
  after?: unknown;
  details?: unknown;
  prevHash: string;
  hash: string;
}

export function toAuditRecordView(record: AuditRecord): AuditRecordView {
  return {
    seq: record.seq,
    at: new Date(record.at).toISOString(),
    action: record.action,
    ...(record.subject && { subject: record.subject }),
    actor: record.actor,
    ...(record.before !== undefined && { before: parsePayload(record.before) }),
    ...(record.after !== undefined && { after: parsePayload(record.after) }),
    ...(record.details !== undefined && { details: parsePayload(record.details) }),
    prevHash: record.prevHash,
    hash: record.hash,
  };
}
