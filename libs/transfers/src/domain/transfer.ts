import { ErrorCode } from '@app/common';

import { GovernanceRecord } from './governance';

/** What a transfer document asks the chain to do: pay USDT out, or grant a TRC-20 allowance. */
export type OperationKind = 'transfer' | 'approve';

export const TRANSFER_STATUSES = [
  'pending_approval',
  'approved',
  'signed',
  'broadcast',
  'confirmed',
  'failed',
  'rejected',
  'expired',
  'cancelled',
] as const;
export type TransferStatus = (typeof TRANSFER_STATUSES)[number];

/** Statuses the pipeline still works on: queued for signing, or signed and followed on chain. */
export const IN_FLIGHT_STATUSES: readonly TransferStatus[] = ['approved', 'signed', 'broadcast'];

/**
 * Every allowed move. `signed`/`broadcast` -> `approved` is the one way back: it happens only when the signed
 * transaction provably can never land (expired and absent from the solidified chain), so a new one may be signed.
 */
const TRANSITIONS: Record<TransferStatus, readonly TransferStatus[]> = {
  pending_approval: ['approved', 'rejected', 'expired', 'cancelled'],
  approved: ['signed', 'failed', 'cancelled', 'rejected'],
  signed: ['broadcast', 'confirmed', 'failed', 'approved'],
  broadcast: ['confirmed', 'failed', 'approved'],
  confirmed: [],
  failed: [],
  rejected: [],
  expired: [],
  cancelled: [],
};

export function canTransition(from: TransferStatus, to: TransferStatus): boolean {
  return TRANSITIONS[from].includes(to);
}

/**
 * No move leads out of a final state, and nothing else writes what a transfer shows once it is in one. A
 * transfer enters one either never leased (held for approval) or by a write that also ends the lease, so a
 * worker that stalled holding it can no longer record a step; the delivery marks of its events touch only
 * their own fields. A transfer read in a final state reads the same forever.
 */
export function isFinal(status: TransferStatus): boolean {
  return TRANSITIONS[status].length === 0;
}

/** Cancelling is only possible while nothing has been signed. */
export function isCancellable(status: TransferStatus): boolean {
  return status === 'pending_approval' || status === 'approved';
}

/** The signed transaction as stored before its first broadcast: re-sending means re-sending these bytes. */
export interface SignedTx {
  txid: string;
  /** The signed transaction as JSON (raw_data, raw_data_hex, signature), exactly what is broadcast. */
  signedJson: string;
  /** Milliseconds since epoch after which no block may include it. */
  expiration: number;
  signedAt: Date;
  feeLimitSun: bigint;
}

export interface Receipt {
  blockNumber: number;
  blockTimestamp: number;
  result: string;
  energyUsed: bigint;
  feeSun: bigint;
}

export interface ProblemRecord {
  code: ErrorCode;
  message: string;
  at: Date;
}

export interface HistoryEntry {
  status: TransferStatus;
  at: Date;
  by?: string;
  note?: string;
}

export interface Transfer {
  id: string;
  kind: OperationKind;
  status: TransferStatus;
  /** Hot wallet address that pays (or grants the allowance). */
  wallet: string;
  /** Recipient of a transfer, spender of an approve. */
  to: string;
  amountRaw: bigint;
  memo?: string;
  reference?: string;
  /** A move between two of our own hot wallets, asked for as such (`internal: true`). */
  internal: boolean;
  requestedBy: string;
  /** Set when the transfer is one item of a batch (POST /transfers/batch). */
  batchId?: string;
  idempotencyKey: string;
  requestHash: string;
  tx?: SignedTx;
  /** Transactions signed earlier for this transfer that provably never landed. */
  supersededTxids: string[];
  broadcastAttempts: number;
  /** Consecutive failed pipeline steps; the back-off grows with it and progress resets it. */
  failedAttempts: number;
  /** When the signed transaction was last sent to a node. */
  lastSentAt?: Date;
  /** Why the transfer is waiting (insufficient USDT or TRX, node down...): it is retried, not failed. */
  waiting?: ProblemRecord;
  lastError?: ProblemRecord;
  estimatedEnergy?: bigint;
  estimatedFeeSun?: bigint;
  receipt?: Receipt;
  confirmations: number;
  /** Final failure, with its catalogue code. */
  failure?: ProblemRecord;
  nextAttemptAt: Date;
  /** One entry per event: the creation, then each status move (the transfer's own outbox, see TransferEvents). */
  history: HistoryEntry[];
  /**
   * The events (history positions, from 1) that have reached every subscriber (the audit trail); the others
   * are delivered again by the redelivery sweep. Undefined for transfers stored before deliveries were
   * recorded: theirs are not redelivered.
   */
  deliveredEvents?: readonly number[];
  /** When an event was last written or the redelivery sweep last took the transfer (the sweep's clock). */
  eventsTouchedAt?: Date;
  /** Compliance and approval record: rule hits, votes, reserved limits. */
  governance?: GovernanceRecord;
  createdAt: Date;
  updatedAt: Date;
  broadcastAt?: Date;
  confirmedAt?: Date;
}
