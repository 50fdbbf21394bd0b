import { AuditActor, AuditEntry } from '../audit-trail';
import { canonicalHash, canonicalJson, sha256Hex } from './canonical-json';
import { redactSecrets } from './redact';

/** The `prevHash` of record 1. */
export const GENESIS_HASH = '0'.repeat(64);

/** A payload larger than this (in UTF-16 code units of its JSON) is stored as its size and digest only. */
export const MAX_PAYLOAD_CHARS = 256 * 1024;

/**
 * An entry cleaned and ready to be chained. `before`, `after` and `details` are canonical JSON text: the log
 * stores any shape a caller hands it (keys with `.` or `$`, nested arrays, which FerretDB refuses as
 * document fields), and the hash covers exactly the stored bytes.
 */
export interface PreparedEntry {
  at: Date;
  action: string;
  subject?: { type: string; id: string };
  actor: AuditActor;
  before?: string;
  after?: string;
  details?: string;
}

/** One link of the chain as stored: `hash` = SHA-256 of the canonical JSON of every other field. */
export interface AuditRecord extends PreparedEntry {
  seq: number;
  prevHash: string;
  hash: string;
}

export interface ChainHead {
  seq: number;
  hash: string;
}

/** Cleans an entry (secrets out, payloads to canonical text) so that only the chain fields remain to add. */
export function prepareEntry(entry: AuditEntry, actor: AuditActor, at: Date): PreparedEntry {
  const action = typeof entry.action === 'string' ? entry.action.trim() : '';
  if (!action) throw new Error('audit entry without an action');
  return {
    at,
    action,
    ...(entry.subject && { subject: { type: String(entry.subject.type), id: String(entry.subject.id) } }),
    actor: cleanActor(actor),
    ...payload('before', entry.before),
    ...payload('after', entry.after),
    ...payload('details', entry.details),
  };
}

/** The record that follows `head` (or starts the chain when there is none). */
export function sealRecord(entry: PreparedEntry, head: ChainHead | null): AuditRecord {
  const unsealed = { ...entry, seq: head ? head.seq + 1 : 1, prevHash: head ? head.hash : GENESIS_HASH };
  return { ...unsealed, hash: recordHash(unsealed) };
}

/** SHA-256 over the canonical form of every field but `hash` (the date as its ISO string). */
export function recordHash(record: Omit<AuditRecord, 'hash'>): string {
  return canonicalHash({
    seq: record.seq,
    at: record.at,
    action: record.action,
    subject: record.subject,
    actor: record.actor,
    before: record.before,
    after: record.after,
    details: record.details,
    prevHash: record.prevHash,
  });
}

/** A stored payload back as data; text that is not JSON (only possible by tampering) is returned as is. */
export function parsePayload(text: string | undefined): unknown {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

export type BrokenReason = 'hash mismatch' | 'prevHash mismatch' | 'missing record' | 'duplicate record';

export interface BrokenLink {
  seq: number;
  reason: BrokenReason;
}

/**
 * Checks records handed to it in seq order, one at a time, so a chain of any length is verified in constant
 * memory: seq must go 1, 2, 3..., each record's hash must match its content, and its prevHash the hash of the
 * record before it. Reports the first break only.
 */
export class ChainVerifier {
  private expectedSeq = 1;
  private previousHash = GENESIS_HASH;
  /** Records checked and found intact so far. */
  verified = 0;

  check(record: AuditRecord): BrokenLink | null {
    if (record.seq < this.expectedSeq) return { seq: record.seq, reason: 'duplicate record' };
    if (record.seq > this.expectedSeq) return { seq: this.expectedSeq, reason: 'missing record' };
    if (recordHash(record) !== record.hash) return { seq: record.seq, reason: 'hash mismatch' };
    if (record.prevHash !== this.previousHash) return { seq: record.seq, reason: 'prevHash mismatch' };
    this.expectedSeq += 1;
    this.previousHash = record.hash;
    this.verified += 1;
    return null;
  }

  get head(): ChainHead | null {
    return this.verified ? { seq: this.expectedSeq - 1, hash: this.previousHash } : null;
  }
}

function cleanActor(actor: AuditActor): AuditActor {
  return {
    id: String(actor.id),
    roles: Array.isArray(actor.roles) ? actor.roles.map(String) : [],
    ...(actor.ip !== undefined && { ip: String(actor.ip) }),
    ...(actor.requestId !== undefined && { requestId: String(actor.requestId) }),
  };
}

function payload(field: 'before' | 'after' | 'details', value: unknown): Partial<PreparedEntry> {
  if (value === undefined) return {};
  let text = canonicalJson(redactSecrets(value));
  if (text.length > MAX_PAYLOAD_CHARS) {
    text = canonicalJson({ truncated: true, chars: text.length, sha256: sha256Hex(text) });
  }
  return { [field]: text };
}
