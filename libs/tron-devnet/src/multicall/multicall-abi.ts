import { AbiParam } from '../usdt/tether-abi';

/**
 * The Multicall ABI subset the devnet implements (`aggregate`, `getBlockNumber`, `getEthBalance`), in the form of `getcontract`'s
 * `abi.entrys` (capitalised `type` and `stateMutability`), with the tuple's `components` so that an ABI coder
 * can encode `aggregate` from it.
 *
 * java-tron's `SmartContract.ABI.Entry.Param` has no `components` field (only `indexed`, `name`, `type`): a
 * real node shows `calls` as a bare `tuple[]`. A client should carry the Multicall ABI itself rather than
 * load it from a real node's `getcontract`.
 */

export interface MulticallAbiParam extends AbiParam {
  components?: AbiParam[];
}

export interface MulticallAbiEntry {
  constant?: boolean;
  inputs?: MulticallAbiParam[];
  name: string;
  outputs?: MulticallAbiParam[];
  stateMutability: 'View' | 'Nonpayable';
  type: 'Function';
}

/** Shared by Multicall v1, v2 and v3 (v3 makes it payable; the devnet follows v1: non-payable). */
export const AGGREGATE_SIGNATURE = 'aggregate((address,bytes)[])';
export const GET_BLOCK_NUMBER_SIGNATURE = 'getBlockNumber()';
export const GET_ETH_BALANCE_SIGNATURE = 'getEthBalance(address)';

export const MULTICALL_ABI: readonly MulticallAbiEntry[] = [
  {
    inputs: [
      {
        components: [
          { name: 'target', type: 'address' },
          { name: 'callData', type: 'bytes' },
        ],
        name: 'calls',
        type: 'tuple[]',
      },
    ],
    name: 'aggregate',
    outputs: [
      { name: 'blockNumber', type: 'uint256' },
      { name: 'returnData', type: 'bytes[]' },
    ],
    stateMutability: 'Nonpayable',
    type: 'Function',
  },
  {
    constant: true,
    inputs: [{ name: 'addr', type: 'address' }],
    name: 'getEthBalance',
    outputs: [{ name: 'balance', type: 'uint256' }],
    stateMutability: 'View',
    type: 'Function',
  },
  {
    constant: true,
    name: 'getBlockNumber',
    outputs: [{ name: 'blockNumber', type: 'uint256' }],
    stateMutability: 'View',
    type: 'Function',
  },
];
