import { TronWeb } from 'tronweb';

import { ErrorCode } from '@app/common';

import { decodeAddress, decodeUint256, eventTopic } from '../abi/abi-codec';
import { eventSignature } from '../abi/tether-token.abi';
import { TransactionInfoJson } from './node-json';
import { decodeNodeMessage } from './node-message';
import { ReceiptLog, ReceiptResult, Trc20TransferLog, TransactionReceipt } from './tron.types';

const TRANSFER_TOPIC = eventTopic(eventSignature('Transfer'));

/**
 * java-tron's gettransactioninfobyid answer as a receipt, or null while the transaction is in no block yet
 * (the node answers `{}`). Zero fields are absent in java-tron's JSON, hence the defaults.
 */
export function normalizeReceipt(info: TransactionInfoJson): TransactionReceipt | null {
  if (!info.id || info.blockNumber === undefined) return null;
  const receipt = info.receipt ?? {};
  const logs: ReceiptLog[] = (info.log ?? []).map((l) => ({
    address: logAddress(l.address ?? ''),
    topics: l.topics ?? [],
    data: l.data ?? '',
  }));
  const message = info.resMessage ? decodeNodeMessage(info.resMessage) : undefined;
  return {
    txid: info.id,
    blockNumber: info.blockNumber,
    blockTimestamp: info.blockTimeStamp ?? 0,
    // Non-contract transactions carry no receipt result; java-tron marks their failure with result: FAILED.
    result: receipt.result ?? (info.result === 'FAILED' ? 'FAILED' : 'SUCCESS'),
    energyUsed: big(receipt.energy_usage_total),
    feeSun: big(info.fee),
    netFeeSun: big(receipt.net_fee),
    energyFeeSun: big(receipt.energy_fee),
    netUsage: big(receipt.net_usage),
    ...(message ? { message } : {}),
    logs,
    trc20Transfers: logs.flatMap(toTransfer),
  };
}

function toTransfer(log: ReceiptLog): Trc20TransferLog[] {
  if (log.topics.length !== 3 || log.topics[0].toLowerCase() !== TRANSFER_TOPIC) return [];
  try {
    return [
      {
        contract: log.address,
        from: decodeAddress(log.topics[1]),
        to: decodeAddress(log.topics[2]),
        valueRaw: decodeUint256(log.data),
      },
    ];
  } catch {
    // A Transfer-shaped log that does not decode is not a TRC-20 transfer we can account for.
    return [];
  }
}

/** java-tron writes a log's contract as 20 bytes of hex, without TRON's 0x41 prefix. */
function logAddress(hex: string): string {
  const bare = hex.replace(/^0x/, '');
  return TronWeb.address.fromHex(bare.length === 42 ? bare : `41${bare}`);
}

function big(value: number | undefined): bigint {
  return BigInt(Math.trunc(value ?? 0));
}

/** What the contract looked like when a transaction failed; checked by the caller after a failure. */
export interface ContractStateAtFailure {
  paused?: boolean;
  /** the sender (or, for transferFrom, the owner) is blacklisted */
  blacklisted?: boolean;
}

/**
 * The catalogue code for a failed receipt, or undefined for SUCCESS. TetherToken reverts without a reason
 * when paused or when the sender is blacklisted, so the caller passes what it read from the contract to tell
 * those apart from a plain revert. Running out of energy is about the fee, whatever the contract state.
 */
export function receiptErrorCode(
  result: ReceiptResult,
  state: ContractStateAtFailure = {},
): ErrorCode | undefined {
  if (result === 'SUCCESS') return undefined;
  if (result === 'OUT_OF_ENERGY') return ErrorCode.INSUFFICIENT_FEE_RESOURCES;
  if (state.paused) return ErrorCode.CONTRACT_PAUSED;
  if (state.blacklisted) return ErrorCode.ADDRESS_BLACKLISTED;
  return ErrorCode.CONTRACT_REVERTED;
}
