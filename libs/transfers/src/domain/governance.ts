/**
 * What governance decided about a transfer, kept on the transfer itself so that its record always says why
 * it went out, waited or stopped. Written by the policy (compliance and approvals); the transfers lib only
 * stores and shows it. Amounts are decimal base-unit strings: the record is stored as a plain object.
 */

/** A monitoring rule or screening check that fired. */
export interface RuleHit {
  /** e.g. `first_payout`, `structuring`, `round_amount`, `velocity`, `allowlist`, `provider_unscreened`. */
  rule: string;
  /** What it did: held the transfer for approval, or only noted (a fail-open screening gap, for example). */
  action: 'approval' | 'note';
  detail: string;
  at: Date;
}

/** One admin's decision on a pending transfer. */
export interface ApprovalVote {
  by: string;
  decision: 'approve' | 'reject';
  comment?: string;
  at: Date;
}

/**
 * Capacity taken from a limit counter at intake, given back if the transfer ends without paying. `counter`
 * names the counter document (e.g. `wallet-day:T...:2026-11-25`); `entry` is set for sliding-window counters,
 * whose reservations are individual entries rather than a sum.
 */
export interface LimitReservation {
  counter: string;
  amountRaw: string;
  entry?: string;
}

export type ApprovalWorkflow = 'default' | 'high_value' | 'review' | 'batch_transfer';

export interface GovernanceRecord {
  /** `default`: approved at intake; `high_value`: at or above the threshold; `review`: held by a rule. */
  workflow: ApprovalWorkflow;
  /** Why approval is needed (threshold, rule names, allow-list mode); empty when approved at intake. */
  reasons: string[];
  /** Distinct approving admins needed; 0 when approved at intake. */
  quorum: number;
  votes: ApprovalVote[];
  /** A pending approval not decided by then expires. */
  expiresAt?: Date;
  /** KYC level of the destination at intake. */
  kycLevel?: string;
  hits: RuleHit[];
  reservations: LimitReservation[];
  /** Grows with every vote: approvals compare-and-set on it so concurrent votes cannot overwrite each other. */
  revision: number;
}
