import { WindowEntry } from '../domain/sliding-window';

export interface SumReservationRequest {
  key: string;
  /** The counter may grow by `amountRaw` only while `used` stays at or below `max`. */
  max: bigint;
  amountRaw: bigint;
  holder: string;
  expiresAt: Date;
}

/** Many holders' amounts added to one counter together, or none of them. */
export interface SharedSumReservationRequest {
  key: string;
  max: bigint;
  expiresAt: Date;
  shares: ReadonlyArray<{ holder: string; amountRaw: bigint }>;
}

export type SumReservationResult =
  | { status: 'reserved' }
  /** The holder already had its amount in this counter: nothing was added. */
  | { status: 'already_held' }
  | { status: 'exceeded'; used: bigint };

export interface WindowState {
  entries: WindowEntry[];
  revision: number;
  expiresAt: Date;
}

/** The limit counters (`limit_counters`): the only code that touches them. */
export abstract class LimitCounterRepository {
  /**
   * Adds the amount to the counter and the holder to its holders in one conditional update, creating the
   * counter if needed. Concurrent callers can never push `used` beyond `max`.
   */
  abstract reserveSum(request: SumReservationRequest): Promise<SumReservationResult>;
  /**
   * Adds every share's amount and holder in one conditional update, creating the counter if needed; true
   * when all were added. False, with nothing added, when the total would pass `max` or a holder already
   * holds a share (the caller then reserves share by share, which tells which of them does not fit).
   */
  abstract reserveSumTogether(request: SharedSumReservationRequest): Promise<boolean>;
  /** Gives back the holder's amount if (and only if) it still holds it; true when something was given back. */
  abstract releaseSum(key: string, holder: string, amountRaw: bigint): Promise<boolean>;
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
  /** Deletes counters whose period ended before `now`; returns how many. */
  abstract deleteExpired(now: Date): Promise<number>;
}
