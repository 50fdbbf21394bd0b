import { formatUsdtAmount } from '@app/common';

import { Transfer } from './transfer';

/** The API's view of a transfer: amounts as decimal and integer strings, no internal fields. */
export function toTransferView(t: Transfer) {
  return {
    id: t.id,
    kind: t.kind,
    status: t.status,
    wallet: t.wallet,
    to: t.to,
    amount: formatUsdtAmount(t.amountRaw),
    amountRaw: t.amountRaw.toString(),
    memo: t.memo ?? null,
    reference: t.reference ?? null,
    requestedBy: t.requestedBy,
    batchId: t.batchId ?? null,
    txid: t.tx?.txid ?? null,
    supersededTxids: t.supersededTxids,
    confirmations: t.confirmations,
    blockNumber: t.receipt?.blockNumber ?? null,
    receiptResult: t.receipt?.result ?? null,
    energyUsed: t.receipt?.energyUsed.toString() ?? null,
    feeSun: t.receipt?.feeSun.toString() ?? null,
    estimatedEnergy: t.estimatedEnergy?.toString() ?? null,
    estimatedFeeSun: t.estimatedFeeSun?.toString() ?? null,
    feeLimitSun: t.tx?.feeLimitSun.toString() ?? null,
    broadcastAttempts: t.broadcastAttempts,
    waiting: t.waiting ? { code: t.waiting.code, message: t.waiting.message, since: t.waiting.at } : null,
    lastError: t.lastError
      ? { code: t.lastError.code, message: t.lastError.message, at: t.lastError.at }
      : null,
    failure: t.failure ? { code: t.failure.code, message: t.failure.message, at: t.failure.at } : null,
    history: t.history,
    approval: t.governance
      ? {
          workflow: t.governance.workflow,
          reasons: t.governance.reasons,
          quorum: t.governance.quorum,
          votes: t.governance.votes,
          expiresAt: t.governance.expiresAt ?? null,
          kycLevel: t.governance.kycLevel ?? null,
          ruleHits: t.governance.hits,
        }
      : null,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    broadcastAt: t.broadcastAt ?? null,
    confirmedAt: t.confirmedAt ?? null,
  };
}

export type TransferView = ReturnType<typeof toTransferView>;
