import { TronWeb, utils } from 'tronweb';

import { AbiDecodeError } from './abi-codec';

/**
 * Multicall's `aggregate`: one constant call that runs many. Multicall v1, v2 and v3 all declare it with this
 * signature and answer `(uint256 blockNumber, bytes[] returnData)`, reverting as a whole when one call fails.
 * The dynamic ABI (an array of tuples, an array of bytes) goes through the ABI coder TronWeb bundles (ethers'),
 * whose decoder checks every offset and length against the data it is given.
 */
export const AGGREGATE_SIGNATURE = 'aggregate((address,bytes)[])';
/** Multicall's own view of an account's TRX balance (`address.balance`, in sun), in v1, v2 and v3 alike. */
export const GET_ETH_BALANCE_SIGNATURE = 'getEthBalance(address)';

export interface MulticallCall {
  /** base58 contract address */
  target: string;
  /** call data, hex without 0x: selector and arguments */
  data: string;
}

const coder = utils.ethersUtils.AbiCoder.defaultAbiCoder();

/** The `parameter` of a triggerconstantcontract on `aggregate` (hex, no selector, no 0x). */
export function encodeAggregate(calls: readonly MulticallCall[]): string {
  const tuples = calls.map(({ target, data }) => [
    `0x${TronWeb.address.toHex(target).slice(2)}`,
    `0x${data}`,
  ]);
  return coder.encode(['tuple(address,bytes)[]'], [tuples]).slice(2);
}

export interface AggregateAnswer {
  /** the block whose state answered every call (`block.number` inside the call) */
  blockNumber: number;
  /** each call's return data (hex, no 0x), in call order */
  returnData: string[];
}

/** Decodes `aggregate`'s answer; throws AbiDecodeError unless there is one result per call. */
export function decodeAggregate(output: string, calls: number): AggregateAnswer {
  let blockNumber: unknown;
  let returnData: unknown;
  try {
    [blockNumber, returnData] = coder.decode(['uint256', 'bytes[]'], `0x${output}`);
  } catch (err) {
    // ethers' shortMessage names the fault without echoing the whole buffer into a log line.
    const reason = (err as { shortMessage?: string }).shortMessage ?? 'malformed';
    throw new AbiDecodeError(`aggregate answer does not decode: ${reason}`);
  }
  const answers = Array.from(returnData as ArrayLike<string>, (hex) => hex.slice(2));
  if (answers.length !== calls) {
    throw new AbiDecodeError(`aggregate answered ${answers.length} results for ${calls} calls`);
  }
  if (typeof blockNumber !== 'bigint' || blockNumber > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AbiDecodeError('aggregate answered an impossible block number');
  }
  return { blockNumber: Number(blockNumber), returnData: answers };
}
