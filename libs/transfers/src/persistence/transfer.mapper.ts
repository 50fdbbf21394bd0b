import type { ErrorCode } from '@app/common';

import { GovernanceRecord } from '../domain/governance';
import { ProblemRecord, Transfer } from '../domain/transfer';
import { ProblemRecordDoc, TransferDoc } from './transfer.schema';

/** Drivers return int64 as bigint (useBigInt64) or, from older data, as number: accept both. */
const big = (value: unknown): bigint =>
  typeof value === 'bigint' ? value : BigInt(value as number | string);
const optionalBig = (value: unknown): bigint | undefined =>
  value === undefined || value === null ? undefined : big(value);

function problem(record: ProblemRecordDoc | undefined | null): ProblemRecord | undefined {
  return record ? { code: record.code as ErrorCode, message: record.message, at: record.at } : undefined;
}

export function toDomain(doc: TransferDoc): Transfer {
  return {
    id: doc._id,
    kind: doc.kind,
    status: doc.status,
    wallet: doc.wallet,
    to: doc.to,
    amountRaw: big(doc.amountRaw),
    memo: doc.memo ?? undefined,
    reference: doc.reference ?? undefined,
    internal: doc.internal ?? false,
    requestedBy: doc.requestedBy,
    batchId: doc.batchId ?? undefined,
    idempotencyKey: doc.idempotencyKey,
    requestHash: doc.requestHash,
    tx: doc.tx
      ? {
          txid: doc.tx.txid,
          signedJson: doc.tx.signedJson,
          expiration: Number(doc.tx.expiration),
          signedAt: doc.tx.signedAt,
          feeLimitSun: big(doc.tx.feeLimitSun),
        }
      : undefined,
    supersededTxids: doc.supersededTxids ?? [],
    broadcastAttempts: doc.broadcastAttempts ?? 0,
    failedAttempts: doc.failedAttempts ?? 0,
    lastSentAt: doc.lastSentAt ?? undefined,
    waiting: problem(doc.waiting),
    lastError: problem(doc.lastError),
    estimatedEnergy: optionalBig(doc.estimatedEnergy),
    estimatedFeeSun: optionalBig(doc.estimatedFeeSun),
    receipt: doc.receipt
      ? {
          blockNumber: Number(doc.receipt.blockNumber),
          blockTimestamp: Number(doc.receipt.blockTimestamp),
          result: doc.receipt.result,
          energyUsed: big(doc.receipt.energyUsed),
          feeSun: big(doc.receipt.feeSun),
        }
      : undefined,
    confirmations: doc.confirmations ?? 0,
    failure: problem(doc.failure),
    nextAttemptAt: doc.nextAttemptAt,
    history: (doc.history ?? []).map((entry) => ({
      status: entry.status,
      at: entry.at,
      by: entry.by ?? undefined,
      note: entry.note ?? undefined,
    })),
    deliveredEvents: doc.deliveredEvents ? doc.deliveredEvents.map(Number) : undefined,
    eventsTouchedAt: doc.eventsTouchedAt ?? undefined,
    governance: doc.governance ? (doc.governance as unknown as GovernanceRecord) : undefined,
    createdAt: doc.createdAt,
    updatedAt: doc.updatedAt,
    broadcastAt: doc.broadcastAt ?? undefined,
    confirmedAt: doc.confirmedAt ?? undefined,
  };
}
