import { BeforeApplicationShutdown, Injectable, Logger } from '@nestjs/common';
import { InjectMetric } from '@willsoto/nestjs-prometheus';
import type { Counter } from 'prom-client';

import { AppError, currentRequestActor, ErrorCode } from '@app/common';

import { AUDIT_APPEND_CONFLICTS, AUDIT_RECORDS } from './audit.metrics';
import { AuditActor, AuditEntry, AuditTrail } from './audit-trail';
import { AuditRecord, ChainHead, PreparedEntry, prepareEntry, sealRecord } from './domain/audit-record';
import { SerialQueue } from './domain/serial-queue';
import { AuditLogRepository } from './persistence/audit-log.repository';

/** The actor outside any HTTP request (start-up, timers) when the caller names none. */
export const SYSTEM_ACTOR: AuditActor = { id: 'system', roles: [] };

/**
 * How often one append tries before giving up with USDT_ERR_601. Generous: while another instance appends
 * in a steady stream, the one that lost the race may lose several in a row before it gets a turn.
 */
export const MAX_APPEND_ATTEMPTS = 100;
const MAX_BACKOFF_MS = 50;
/** Records stored by one insert at most: a burst of transitions costs one command per this many. */
export const MAX_RECORDS_PER_INSERT = 200;
/**
 * How long the first waiting record waits for others to join its insert. Payouts make four records each, a
 * few milliseconds apart; this gathers those of a busy second into a few inserts instead of hundreds, for
 * a delay no caller notices (the pipeline does not wait for its records; an admin action waits this once).
 */
export const AUDIT_LINGER_MS = 20;

interface Waiting {
  entry: PreparedEntry;
  stored: () => void;
  failed: (err: unknown) => void;
}

/**
 * The audit trail on the `audit_log` chain. Appending seals the next record onto the head (highest seq) and
 * inserts it; the unique index on seq makes the loser of a race with another instance fail with E11000, and
 * it then re-reads the head and tries again, after a short random pause. Within one instance appends queue
 * up in call order, so the instance never races itself and its records keep the order of the `record` calls.
 *
 * Records that wait while an insert is under way are sealed onto each other and stored together by the next
 * insert (ordered, one command), so a burst of payouts costs one audit command per batch, not per record.
 *
 * The instance remembers the head it last wrote, so an uncontended append is a single insert: reading the
 * head is a sorted query, which the embedded engine answers by scanning the whole collection. A stale head
 * (another instance wrote since) costs one refused insert and a re-read. A log deleted under a running
 * instance is not noticed by it: its next record still links to the head it remembers, and verification
 * reports the deleted records as missing, as it should.
 */
@Injectable()
export class HashChainAuditTrail extends AuditTrail implements BeforeApplicationShutdown {
  private readonly logger = new Logger('Audit');
  private readonly queue = new SerialQueue();
  /** Recorded, not yet handed to an insert. */
  private waiting: Waiting[] = [];
  /** Set while the first waiting record lingers for others. */
  private linger: NodeJS.Timeout | undefined;
  /** The last record this instance knows of; `undefined` when it must be read (start-up, after a race). */
  private knownHead: ChainHead | null | undefined;
  /** A record known to exist after a lost race: the next head read walks forward from it. */
  private staleHead: ChainHead | undefined;

  constructor(
    private readonly log: AuditLogRepository,
    @InjectMetric(AUDIT_RECORDS) private readonly appended: Counter<string>,
    @InjectMetric(AUDIT_APPEND_CONFLICTS) private readonly conflicts: Counter<string>,
  ) {
    super();
  }

  /**
   * Cleans the entry and captures the actor now, in the caller's context, then resolves once the record is
   * stored. Rejects with USDT_ERR_600 when the database is unavailable, USDT_ERR_601 when other writers kept
   * winning the race for every attempt.
   */
  record(entry: AuditEntry): Promise<void> {
    let prepared: PreparedEntry;
    try {
      prepared = prepareEntry(entry, entry.actor ?? currentRequestActor() ?? SYSTEM_ACTOR, new Date());
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
    return new Promise<void>((stored, failed) => {
      this.waiting.push({ entry: prepared, stored, failed });
      // One insert is queued per burst: it takes every record that is waiting when its turn comes.
      if (this.waiting.length === 1) this.linger = setTimeout(() => this.flush(), AUDIT_LINGER_MS);
    });
  }

  /** Lets appends already accepted reach the database before the connection closes. */
  async beforeApplicationShutdown(): Promise<void> {
    if (this.waiting.length)
      this.logger.log(`waiting for ${this.waiting.length} audit record(s) to be stored`);
    if (this.linger) this.flush();
    // A batch past MAX_RECORDS_PER_INSERT queues the next one while it runs: wait until none is left.
    while (this.queue.size) await this.queue.idle();
  }

  private flush(): void {
    clearTimeout(this.linger);
    this.linger = undefined;
    void this.queue.run(() => this.appendWaiting());
  }

  private async appendWaiting(): Promise<void> {
    const batch = this.waiting.splice(0, MAX_RECORDS_PER_INSERT);
    if (!batch.length) return;
    if (this.waiting.length) void this.queue.run(() => this.appendWaiting());
    try {
      await this.append(batch);
    } catch (err) {
      for (const record of batch) record.failed(err);
    }
  }

  /** Stores the batch in order; settles each record's promise as it is stored. */
  private async append(batch: Waiting[]): Promise<void> {
    let rest = batch;
    for (let attempt = 1; attempt <= MAX_APPEND_ATTEMPTS; attempt++) {
      const head = this.knownHead !== undefined ? this.knownHead : await this.log.head(this.staleHead);
      const records = sealChain(
        rest.map((waiting) => waiting.entry),
        head,
      );
      let stored: number;
      try {
        stored = await this.log.insertChain(records);
      } catch (err) {
        // Perhaps stored after all: read the head next time rather than guess.
        this.knownHead = undefined;
        throw err;
      }
      for (const [i, record] of records.slice(0, stored).entries()) {
        this.appended.inc({ action: record.action });
        rest[i].stored();
      }
      const last = stored > 0 ? records[stored - 1] : undefined;
      if (stored === records.length) {
        this.knownHead = { seq: last!.seq, hash: last!.hash };
        this.staleHead = undefined;
        return;
      }
      rest = rest.slice(stored);
      // Another writer took the next seq. A remembered head was merely stale: re-read at once. A fresh one
      // lost a live race: pause a little so the racers spread out.
      this.conflicts.inc();
      const wasRemembered = this.knownHead !== undefined && !last;
      const known = last ? { seq: last.seq, hash: last.hash } : head;
      if (known) this.staleHead = known;
      this.knownHead = undefined;
      if (!wasRemembered || attempt > 1) {
        await sleep(Math.ceil(Math.random() * Math.min(MAX_BACKOFF_MS, 2 * attempt)));
      }
    }
    throw new AppError(
      ErrorCode.WRITE_CONFLICT,
      `audit log busy: another writer took the next record ${MAX_APPEND_ATTEMPTS} times`,
    );
  }
}

/** Each entry sealed onto the one before it, the first onto the head. */
function sealChain(entries: readonly PreparedEntry[], head: ChainHead | null): AuditRecord[] {
  const records: AuditRecord[] = [];
  let previous = head;
  for (const entry of entries) {
    const record = sealRecord(entry, previous);
    records.push(record);
    previous = { seq: record.seq, hash: record.hash };
  }
  return records;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
