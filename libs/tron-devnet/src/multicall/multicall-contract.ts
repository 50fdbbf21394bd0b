import { utils } from 'tronweb';

import { decodeArgs, encodeUint, selectorOf } from '../codec/abi';
import { CallOutcome, ContractLog } from '../usdt/usdt-contract';
import { AGGREGATE_SIGNATURE, GET_BLOCK_NUMBER_SIGNATURE, GET_ETH_BALANCE_SIGNATURE } from './multicall-abi';

/**
 * Energy of a multicall. An approximation, as no TVM runs: `aggregate` charges `aggregateBase` (dispatch,
 * decoding the call list, encoding the answer) plus, for each inner call, `perCall` (the CALL, copying its
 * calldata and return data) and the inner call's own energy (a USDT view: 540). A batch of n USDT views
 * therefore uses 1,000 + n x 2,540. A revert uses what was spent up to and including the failed inner call;
 * calldata the contract cannot decode uses `revert`.
 */
export const MULTICALL_ENERGY = {
  aggregateBase: 1_000,
  perCall: 2_000,
  view: 300,
  revert: 1_000,
} as const;

/** java-tron's TVM call depth limit (Program's MAX_DEPTH): a deeper call fails. */
const MAX_DEPTH = 64;

const AGGREGATE = selectorOf(AGGREGATE_SIGNATURE);
const GET_BLOCK_NUMBER = selectorOf(GET_BLOCK_NUMBER_SIGNATURE);
const GET_ETH_BALANCE = selectorOf(GET_ETH_BALANCE_SIGNATURE);
const abi = utils.ethersUtils.AbiCoder.defaultAbiCoder();

/** What the multicall needs from the chain. */
export interface MulticallHost {
  /** the head block's number: `block.number` in a constant call, as java-tron runs it on the head block */
  headNumber(): number;
  /** An account's TRX balance in sun (0 for an account that does not exist): `address.balance` in the TVM. */
  trxBalance(address: string): bigint;
  /**
   * Runs a constant call with call value 0 on a contract the devnet executes other than the multicall;
   * undefined when `target` is not one.
   */
  call(target: string, sender: string, data: Buffer): CallOutcome | undefined;
}

interface InnerCall {
  /** 41-hex */
  target: string;
  data: Buffer;
}

const noop = (): void => undefined;

function revert(energy: number): CallOutcome {
  return { status: 'REVERT', output: '', energy, logs: [], commit: noop };
}

/**
 * The `calls` argument of `aggregate` (the ABI after the selector), or undefined when it does not decode:
 * out-of-bounds offsets or lengths, an address word with its upper 12 bytes set. Bytes after the encoded
 * argument are ignored, as Solidity's decoder ignores them.
 */
export function decodeAggregateCalls(args: Buffer): InnerCall[] | undefined {
  try {
    // ethers decodes lazily: a bad element becomes an error thrown when it is read, so every field is read here
    const [list] = abi.decode(['tuple(address,bytes)[]'], args) as unknown as [unknown];
    if (!Array.isArray(list)) return undefined;
    const calls: InnerCall[] = [];
    for (let i = 0; i < list.length; i++) {
      const item = list[i] as unknown[];
      const target = item[0];
      const data = item[1];
      if (typeof target !== 'string' || typeof data !== 'string') return undefined;
      calls.push({ target: '41' + target.slice(2).toLowerCase(), data: Buffer.from(data.slice(2), 'hex') });
    }
    return calls;
  } catch {
    return undefined;
  }
}

/** `(uint256 blockNumber, bytes[] returnData)` as hex without 0x; each return data is hex without 0x. */
export function encodeAggregateResult(blockNumber: number, returnData: readonly string[]): string {
  return abi.encode(['uint256', 'bytes[]'], [BigInt(blockNumber), returnData.map((r) => '0x' + r)]).slice(2);
}

/**
 * A Multicall contract (v1 semantics), implemented natively and run only as a constant call
 * (`triggerconstantcontract` on /wallet and /walletsolidity, `estimateenergy`): it keeps no state and the devnet
 * refuses a transaction to it (`triggersmartcontract`, broadcast) as it refuses one to any contract it does not
 * execute ("No contract or not a valid smart contract").
 *
 * - `aggregate((address,bytes)[])` (non-payable): runs each call in order on its target with msg.sender = the
 *   multicall's address and call value 0, and answers `(uint256 blockNumber, bytes[] returnData)`. If any inner
 *   call does not succeed, the whole aggregate reverts with empty revert data (v1's bare `require(success)`).
 *   Unlike the TVM, a target that is not a contract the devnet executes (a person's account, a code-only
 *   contract) makes the aggregate revert too, where a real chain answers an empty success.
 * - `getBlockNumber()`: the head block's number.
 * - `getEthBalance(address)`: the account's TRX balance in sun (TRON's `address.balance`), as v1-v3 name it.
 *
 * Inner calls all see the state as it was before the aggregate: a state change one of them would make (a
 * transfer run as a constant call) is not visible to the next. Calls into the multicall itself nest, up to
 * the TVM's call depth. Calldata it cannot decode, an unknown selector or a call value reverts; nothing
 * throws out of `call`.
 */
export class MulticallContract {
  readonly name = 'Multicall';

  constructor(
    /** 41-hex */
    readonly address: string,
    /** 41-hex of the deployer */
    readonly owner: string,
    private readonly host: MulticallHost,
  ) {}

  /** Executes a call. `data` is the calldata (4-byte selector + ABI arguments). */
  call(_sender: string, data: Buffer, callValue: bigint): CallOutcome {
    return this.run(data, callValue, 0);
  }

  private run(data: Buffer, callValue: bigint, depth: number): CallOutcome {
    if (data.length < 4 || callValue !== 0n) return revert(MULTICALL_ENERGY.revert);
    const selector = data.subarray(0, 4).toString('hex');
    if (selector === GET_BLOCK_NUMBER) {
      const output = encodeUint(BigInt(this.host.headNumber()));
      return { status: 'SUCCESS', output, energy: MULTICALL_ENERGY.view, logs: [], commit: noop };
    }
    if (selector === GET_ETH_BALANCE) {
      const [address] = decodeArgs(data.subarray(4), ['address']) ?? [];
      if (typeof address !== 'string') return revert(MULTICALL_ENERGY.revert);
      const output = encodeUint(this.host.trxBalance(address));
      return { status: 'SUCCESS', output, energy: MULTICALL_ENERGY.view, logs: [], commit: noop };
    }
    if (selector !== AGGREGATE) return revert(MULTICALL_ENERGY.revert);
    const calls = decodeAggregateCalls(data.subarray(4));
    return calls ? this.aggregate(calls, depth) : revert(MULTICALL_ENERGY.revert);
  }

  private aggregate(calls: readonly InnerCall[], depth: number): CallOutcome {
    let energy: number = MULTICALL_ENERGY.aggregateBase;
    const returnData: string[] = [];
    const logs: ContractLog[] = [];
    for (const { target, data } of calls) {
      energy += MULTICALL_ENERGY.perCall;
      const outcome = this.inner(target, data, depth + 1);
      if (!outcome) return revert(energy);
      energy += outcome.energy;
      if (outcome.status !== 'SUCCESS') return revert(energy);
      returnData.push(outcome.output);
      logs.push(...outcome.logs);
    }
    const output = encodeAggregateResult(this.host.headNumber(), returnData);
    return { status: 'SUCCESS', output, energy, logs, commit: noop };
  }

  private inner(target: string, data: Buffer, depth: number): CallOutcome | undefined {
    if (depth >= MAX_DEPTH) return undefined;
    if (target === this.address) return this.run(data, 0n, depth);
    return this.host.call(target, this.address, data);
  }
}
