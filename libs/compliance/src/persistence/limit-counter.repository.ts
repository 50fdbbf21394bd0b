import { WindowEntry } from '../domain/sliding-window';

export interface SumReservationRequest {
  key: string;
  /** The counter may grow by `amountRaw` only while `used` stays at or below `max`. */
  max: bigint;
  amountRaw: bigint;
  expiresAt: Date;
}

export type SumReservationResult = { status: 'reserved' } | { status: 'exceeded'; used: bigint };

export interface WindowState {
  entries: WindowEntry[];
  revision: number;
  expiresAt: Date;
}

/**
 * The limit counters (`limit_counters`): the only code that touches them. A sum counter is only a sum: which
 * transfer holds how much is recorded on the transfer (its reservations), and a release is made once by a
 * release marker, so no counter document grows with the payouts it counts.
 */
export abstract class LimitCounterRepository {
  /**
   * Adds the amount to the counter in one conditional update, creating the counter if needed. Concurrent
   * callers can never push `used` beyond `max`.
   */
  abstract reserveSum(request: SumReservationRequest): Promise<SumReservationResult>;
  /**
   * Adds amounts that many drafts share (a batch, single payouts evaluated together) to several counters
   * (distinct keys) in one database command. One answer per request, in order: true when its amount was
   * added, false (nothing added to that counter) when it would pass `max` or the counter was being created
   * meanwhile; the caller then reserves draft by draft, which tells which drafts do not fit.
   */
  abstract reserveSumsTogether(requests: readonly SumReservationRequest[]): Promise<boolean[]>;
  /** Takes a reserved amount back out of the counter (a counter already deleted stays deleted). */
  abstract takeBack(key: string, amountRaw: bigint): Promise<void>;
  /**
   * Records that the transfer's reservations are being given back: true the first time, false ever after,
   * so that a release repeated or run twice at once gives nothing back twice.
   */
  abstract markReleased(transferId: string, expiresAt: Date): Promise<boolean>;
  /** The current window document, or null when there is none. */
  abstract readWindow(key: string): Promise<WindowState | null>;
  /**
   * Replaces the window's entries if its revision is still `expectedRevision` (null: the document must not
   * exist yet). False when another writer got there first.
   */
  abstract writeWindow(
    key: string,
    expectedRevision: number | null,
    entries: WindowEntry[],
    expiresAt: Date,
  ): Promise<boolean>;
  /** Deletes counters, windows and release markers whose time ended before `now`; returns how many. */
  abstract deleteExpired(now: Date): Promise<number>;
}
