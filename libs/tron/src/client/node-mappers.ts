import { AppError, ErrorCode, isTronAddress, isTxId } from '@app/common';

import { ChainParametersJson, ConstantCallJson, NodeBlockJson } from './node-json';
import { decodeNodeMessage } from './node-message';
import { BlockRef, ChainParameters } from './tron.types';

/** Input checks and java-tron answer mappers used by TronClient; pure, so unit tests reach them directly. */

export function checkAddress(address: string, field = 'address'): string {
  if (!isTronAddress(address)) {
    throw new AppError(ErrorCode.INVALID_ADDRESS, `${field} is not a TRON address`, [
      { field, message: 'must be a base58 TRON address' },
    ]);
  }
  return address;
}

export function checkTxId(txid: string): string {
  if (!isTxId(txid)) throw new AppError(ErrorCode.INVALID_TXID, 'txid must be 64 hexadecimal characters');
  return txid.toLowerCase();
}

/** The node's failure message of a constant call, or undefined when it ran to completion. */
export function constantCallFailure(body: ConstantCallJson): string | undefined {
  const ret = body.transaction?.ret?.[0]?.ret;
  if (body.result?.result === true && !body.result.message && ret !== 'FAILED') return undefined;
  return decodeNodeMessage(body.result?.message) || body.result?.code || 'REVERT';
}

export function isMissingContract(message: string): boolean {
  return /no contract|not a valid smart ?contract|smart contract is not exist/i.test(message);
}

export function toBlockRef(block: NodeBlockJson): BlockRef {
  const raw = block.block_header?.raw_data;
  if (!block.blockID || !raw) {
    throw new AppError(ErrorCode.NODE_UNAVAILABLE, 'The node answered getnowblock without a block');
  }
  // Protobuf JSON omits default values: the genesis block comes without `number` (it is 0).
  return { number: raw.number ?? 0, id: block.blockID, timestamp: raw.timestamp ?? 0 };
}

export function toChainParameters(body: ChainParametersJson): ChainParameters {
  const byKey = new Map((body.chainParameter ?? []).map((p) => [p.key, p.value ?? 0]));
  const energyFee = byKey.get('getEnergyFee');
  const transactionFee = byKey.get('getTransactionFee');
  if (energyFee === undefined || transactionFee === undefined) {
    throw new AppError(ErrorCode.NODE_UNAVAILABLE, 'The node did not report getEnergyFee/getTransactionFee');
  }
  const maxFeeLimit = byKey.get('getMaxFeeLimit');
  return {
    energyFeeSun: BigInt(energyFee),
    transactionFeeSunPerByte: BigInt(transactionFee),
    ...(maxFeeLimit !== undefined ? { maxFeeLimitSun: BigInt(maxFeeLimit) } : {}),
  };
}
