import { formatUsdtAmount, SuccessCode } from '@app/common';

import { Transfer, TransferStatus } from './transfer';

/**
 * The catalogue code a transfer's state answers with in every view, so a client reads one field whatever
 * route it used: held (USDT_003), queued or on its way (USDT_002), confirmed (USDT_004), and USDT_001 for the
 * final states that did not pay (`failure.code` or the history says why). Intake replays answer USDT_005.
 */
const STATE_CODES: Record<TransferStatus, SuccessCode> = {
  pending_approval: SuccessCode.PENDING_APPROVAL,
  approved: SuccessCode.ACCEPTED,
  signed: SuccessCode.ACCEPTED,
  broadcast: SuccessCode.ACCEPTED,
  confirmed: SuccessCode.CONFIRMED,
  failed: SuccessCode.OK,
  rejected: SuccessCode.OK,
  expired: SuccessCode.OK,
  cancelled: SuccessCode.OK,
};

export function stateCode(status: TransferStatus): SuccessCode {
  return STATE_CODES[status];
}

/** Approving votes still missing before a held transfer is released; 0 once it is no longer pending. */
export function votesNeeded(t: Transfer): number {
  if (t.status !== 'pending_approval' || !t.governance) return 0;
  const approvals = t.governance.votes.filter((vote) => vote.decision === 'approve').length;
  return Math.max(0, t.governance.quorum - approvals);
}

/** The API's view of a transfer: amounts as decimal and integer strings, no internal fields. */
export function toTransferView(t: Transfer) {
  return {
    code: stateCode(t.status),
    id: t.id,
    kind: t.kind,
    status: t.status,
    wallet: t.wallet,
    to: t.to,
    amount: formatUsdtAmount(t.amountRaw),
    amountRaw: t.amountRaw.toString(),
    memo: t.memo ?? null,
    reference: t.reference ?? null,
    internal: t.internal,
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
          votesNeeded: votesNeeded(t),
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
