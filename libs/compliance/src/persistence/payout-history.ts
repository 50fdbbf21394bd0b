/** Which earlier operations the monitoring rules look at. */
export interface PayoutScope {
  kind: 'transfer' | 'approve';
  /** The draft itself, in case the caller stored it before evaluating. */
  excludeId: string;
}

export interface PaidAmong {
  paid: Set<string>;
  /** Paid by a confirmed operation: a subset of `paid`. */
  confirmed: Set<string>;
}

/** Read-only questions the monitoring rules ask about earlier transfers. */
export abstract class PayoutHistory {
  /** Whether `to` was ever paid: an earlier operation to it that is confirmed, in flight or approved. */
  abstract hasPaid(to: string, scope: PayoutScope): Promise<boolean>;
  /**
   * Live or paid operations to `to` created at or after `since` with an amount in [low, high), counted up to
   * `atMost` (a rule only needs to know whether its limit is reached; counting on would read more history).
   */
  abstract countToInBand(
    to: string,
    since: Date,
    band: { low: bigint; high: bigint },
    scope: PayoutScope,
    atMost: number,
  ): Promise<number>;
  /**
   * Destinations other than `to` that were paid (confirmed, in flight or approved) and start with `head` and
   * end with `tail`; at most `limit` of them.
   */
  abstract paidWithEnds(
    to: string,
    ends: { head: string; tail: string },
    scope: PayoutScope,
    limit: number,
  ): Promise<string[]>;
  /**
   * Which of `addresses` were ever paid by an operation of `kind` (as `hasPaid`, for many at once), and which
   * of those by a confirmed one (final: such an address stays paid).
   */
  abstract paidAmong(addresses: readonly string[], kind: PayoutScope['kind']): Promise<PaidAmong>;
  /** Live or paid operations from `wallet` created at or after `since`, counted up to `atMost`. */
  abstract countFrom(wallet: string, since: Date, scope: PayoutScope, atMost: number): Promise<number>;
}
