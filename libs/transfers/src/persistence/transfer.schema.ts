import { Prop, Schema, SchemaFactory } from '@nestjs/mongoose';

import { OperationKind, TRANSFER_STATUSES, TransferStatus } from '../domain/transfer';

@Schema({ _id: false })
export class SignedTxRecord {
  @Prop({ required: true }) txid!: string;
  @Prop({ required: true }) signedJson!: string;
  @Prop({ required: true }) expiration!: number;
  @Prop({ required: true }) signedAt!: Date;
  @Prop({ type: BigInt, required: true }) feeLimitSun!: bigint;
}

@Schema({ _id: false })
export class ReceiptRecord {
  @Prop({ required: true }) blockNumber!: number;
  @Prop({ required: true }) blockTimestamp!: number;
  @Prop({ required: true }) result!: string;
  @Prop({ type: BigInt, required: true }) energyUsed!: bigint;
  @Prop({ type: BigInt, required: true }) feeSun!: bigint;
}

@Schema({ _id: false })
export class ProblemRecordDoc {
  @Prop({ required: true }) code!: string;
  @Prop({ required: true }) message!: string;
  @Prop({ required: true }) at!: Date;
}

@Schema({ _id: false })
export class HistoryRecord {
  @Prop({ type: String, required: true, enum: TRANSFER_STATUSES }) status!: TransferStatus;
  @Prop({ required: true }) at!: Date;
  @Prop() by?: string;
  @Prop() note?: string;
}

/**
 * One document per transfer or approve: the unit of work and the outbox. Workers claim it with a lease
 * (lockedBy/lockedUntil) and move it with guarded single-document updates; there is no other queue.
 */
@Schema({ collection: 'transfers', timestamps: true, versionKey: false })
export class TransferDoc {
  @Prop({ type: String, required: true }) _id!: string;
  @Prop({ type: String, required: true, enum: ['transfer', 'approve'] }) kind!: OperationKind;
  @Prop({ type: String, required: true, enum: TRANSFER_STATUSES }) status!: TransferStatus;
  @Prop({ required: true }) wallet!: string;
  @Prop({ required: true }) to!: string;
  @Prop({ type: BigInt, required: true }) amountRaw!: bigint;
  @Prop() memo?: string;
  @Prop() reference?: string;
  /** Paid to one of our own hot wallets on purpose (`internal: true`); false for every other payout. */
  @Prop({ default: false }) internal!: boolean;
  @Prop({ required: true }) requestedBy!: string;
  @Prop() batchId?: string;
  /** `<caller>:<Idempotency-Key>`: unique, so a key can create at most one transfer per caller. */
  @Prop({ required: true }) idempotencyKey!: string;
  @Prop({ required: true }) requestHash!: string;
  /** UTC day of creation (YYYY-MM-DD), so stats group by day with a plain $group on both engines. */
  @Prop({ required: true }) day!: string;
  @Prop({ type: SignedTxRecord }) tx?: SignedTxRecord;
  @Prop({ type: [String], default: [] }) supersededTxids!: string[];
  @Prop({ default: 0 }) broadcastAttempts!: number;
  /** Consecutive failed steps (node errors, refused broadcasts): drives the back-off, reset on progress. */
  @Prop({ default: 0 }) failedAttempts!: number;
  @Prop() lastSentAt?: Date;
  @Prop({ type: ProblemRecordDoc }) waiting?: ProblemRecordDoc;
  @Prop({ type: ProblemRecordDoc }) lastError?: ProblemRecordDoc;
  @Prop({ type: BigInt }) estimatedEnergy?: bigint;
  @Prop({ type: BigInt }) estimatedFeeSun?: bigint;
  @Prop({ type: ReceiptRecord }) receipt?: ReceiptRecord;
  @Prop({ default: 0 }) confirmations!: number;
  @Prop({ type: ProblemRecordDoc }) failure?: ProblemRecordDoc;
  @Prop({ required: true }) nextAttemptAt!: Date;
  @Prop({ type: String, default: null }) lockedBy!: string | null;
  @Prop({ type: Date, default: null }) lockedUntil!: Date | null;
  @Prop({ type: [HistoryRecord], default: [] }) history!: HistoryRecord[];
  /** Events (history positions) every subscriber has taken; see Transfer.deliveredEvents. */
  @Prop({ type: [Number], default: undefined }) deliveredEvents?: number[];
  /**
   * `'yes'` from the write that adds an event until every event is delivered: what the redelivery sweep looks
   * for (a string, so that the embedded engine's secondary index serves it as well as MongoDB's).
   */
  @Prop() eventsPending?: string;
  /** When the redelivery sweep last took this transfer's undelivered events (after a crash, say). */
  @Prop() eventsRedeliveredAt?: Date;
  /**
   * The redelivery sweep's clock: when an event was last written or the sweep last took the transfer. Not
   * `updatedAt`, which every lease and release moves: a transfer waiting for funds is written every recheck,
   * and would never look quiet to the sweep while it waits.
   */
  @Prop() eventsTouchedAt?: Date;
  /** Governance's record (GovernanceRecord): stored as written, read back by the mapper. */
  @Prop({ type: Object }) governance?: Record<string, unknown>;
  @Prop() broadcastAt?: Date;
  @Prop() confirmedAt?: Date;
  createdAt!: Date;
  updatedAt!: Date;
}

export const TransferSchema = SchemaFactory.createForClass(TransferDoc);
// MongoDB serves the queries below from these indexes. The embedded engine serves `_id` and unique keys, and
// finds (not aggregations) that pin the first field of one of these to strings, with a date range on the second
// (README, "The embedded engine"); lists sorted by `createdAt` alone scan there.
TransferSchema.index({ idempotencyKey: 1 }, { unique: true });
// Workers: approved work by due time; the tracker: signed/broadcast documents only (in-flight work).
TransferSchema.index({ status: 1, nextAttemptAt: 1 });
TransferSchema.index({ 'tx.txid': 1 });
// Listing and stats: newest first, optionally by wallet or recipient.
TransferSchema.index({ createdAt: -1, _id: -1 });
TransferSchema.index({ wallet: 1, createdAt: -1 });
TransferSchema.index({ wallet: 1, status: 1 });
TransferSchema.index({ to: 1, createdAt: -1 });
TransferSchema.index({ batchId: 1 }, { sparse: true });
// GET /transfers?reference=: the caller's own reference, newest first.
TransferSchema.index({ reference: 1, createdAt: -1 }, { sparse: true });
// The event redelivery sweep: transfers with undelivered events, quiet for a while (a handful at any time).
TransferSchema.index({ eventsPending: 1, eventsTouchedAt: 1 }, { sparse: true });
// The approval sweeper: pending approvals by expiry.
TransferSchema.index({ status: 1, 'governance.expiresAt': 1 });
