import { AppError, ErrorCode } from '@app/common';

import { BroadcastJson } from './node-json';
import { decodeNodeMessage } from './node-message';
import { BroadcastOutcome } from './tron.types';

/**
 * Codes after which the same signed bytes can never be accepted: a bad signature, a stale or foreign TAPOS
 * reference, an expired or oversized transaction. Anything else (SERVER_BUSY, NO_CONNECTION, missing
 * bandwidth, a contract validation that funding can fix) may succeed if the same bytes are sent again.
 */
const FINAL_CODES = new Set([
  'SIGERROR',
  'TAPOS_ERROR',
  'TRANSACTION_EXPIRATION_ERROR',
  'TOO_BIG_TRANSACTION_ERROR',
]);

/**
 * Reads java-tron's broadcast answer. DUP_TRANSACTION_ERROR counts as accepted: the node already holds these
 * exact bytes (pool or chain), which is what re-broadcasting a stored transaction is for.
 */
export function toBroadcastOutcome(response: BroadcastJson, txid: string): BroadcastOutcome {
  if (response.result === true) return { accepted: true, txid: response.txid ?? txid, duplicate: false };
  if (response.code === 'DUP_TRANSACTION_ERROR') return { accepted: true, txid, duplicate: true };
  if (response.Error !== undefined) {
    return { accepted: false, txid, code: 'OTHER_ERROR', message: response.Error, retryable: false };
  }
  const code = response.code ?? 'OTHER_ERROR';
  return {
    accepted: false,
    txid: response.txid ?? txid,
    code,
    message: decodeNodeMessage(response.message),
    retryable: !FINAL_CODES.has(code),
  };
}

/** USDT_ERR_401 for a rejected broadcast, keeping the node's code for the transfer record. */
export function broadcastRejectedError(outcome: Extract<BroadcastOutcome, { accepted: false }>): AppError {
  return new AppError(ErrorCode.BROADCAST_REJECTED, `Broadcast rejected by the node: ${outcome.code}`, [
    { message: outcome.message, nodeCode: outcome.code, txid: outcome.txid, retryable: outcome.retryable },
  ]);
}
