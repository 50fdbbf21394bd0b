import type { KycLevel } from '@app/policies';
import type { LimitReservation, RuleHit } from '@app/transfers';

/** A transfer or approve about to be accepted, as compliance sees it. */
export interface ComplianceDraft {
  /** The id the transfer will get: reservations are tied to it, so releasing them is idempotent. */
  transferId: string;
  /** For `approve`, `to` is the spender. */
  kind: 'transfer' | 'approve';
  /** The paying hot wallet (base58). */
  wallet: string;
  to: string;
  amountRaw: bigint;
  /** JWT subject of the requester. */
  requestedBy: string;
  at: Date;
}

/** What compliance decided about a draft it let through. */
export interface ComplianceOutcome {
  /** KYC level of `to`; an address nobody classified is `none`. */
  kycLevel: KycLevel;
  /** Every monitoring rule and screening note that fired. */
  hits: RuleHit[];
  /** Non-empty: the transfer must wait for admin approval (a rule with action `approval`, allow-list mode). */
  holdReasons: string[];
  /** Capacity taken from the limit counters; the caller stores them on the transfer and releases them. */
  reservations: LimitReservation[];
}
