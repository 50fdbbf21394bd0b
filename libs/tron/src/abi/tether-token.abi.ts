/**
 * The TRC-20 surface of TRON's TetherToken (USDT), bundled so that start-up never depends on fetching an ABI
 * from a node (`getcontract` can be slow, rate-limited or, on a hostile node, wrong). Only the entries the
 * service uses or decodes are listed; the deployed contract has more (issue, redeem, upgrade...).
 */
export const TETHER_TOKEN_ABI = [
  {
    type: 'function',
    name: 'name',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'string' }],
  },
  {
    type: 'function',
    name: 'symbol',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'string' }],
  },
  {
    type: 'function',
    name: 'decimals',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'totalSupply',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'balanceOf',
    stateMutability: 'view',
    inputs: [{ name: 'who', type: 'address' }],
    outputs: [{ name: '', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'allowance',
    stateMutability: 'view',
    inputs: [
      { name: '_owner', type: 'address' },
      { name: '_spender', type: 'address' },
    ],
    outputs: [{ name: 'remaining', type: 'uint256' }],
  },
  {
    type: 'function',
    name: 'transfer',
    stateMutability: 'nonpayable',
    inputs: [
      { name: '_to', type: 'address' },
      { name: '_value', type: 'uint256' },
    ],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'approve',
    stateMutability: 'nonpayable',
    inputs: [
      { name: '_spender', type: 'address' },
      { name: '_value', type: 'uint256' },
    ],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'transferFrom',
    stateMutability: 'nonpayable',
    inputs: [
      { name: '_from', type: 'address' },
      { name: '_to', type: 'address' },
      { name: '_value', type: 'uint256' },
    ],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'paused',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'isBlackListed',
    stateMutability: 'view',
    inputs: [{ name: '', type: 'address' }],
    outputs: [{ name: '', type: 'bool' }],
  },
  {
    type: 'function',
    name: 'owner',
    stateMutability: 'view',
    inputs: [],
    outputs: [{ name: '', type: 'address' }],
  },
  {
    type: 'event',
    name: 'Transfer',
    inputs: [
      { indexed: true, name: 'from', type: 'address' },
      { indexed: true, name: 'to', type: 'address' },
      { indexed: false, name: 'value', type: 'uint256' },
    ],
  },
  {
    type: 'event',
    name: 'Approval',
    inputs: [
      { indexed: true, name: 'owner', type: 'address' },
      { indexed: true, name: 'spender', type: 'address' },
      { indexed: false, name: 'value', type: 'uint256' },
    ],
  },
  { type: 'event', name: 'Pause', inputs: [] },
  { type: 'event', name: 'Unpause', inputs: [] },
  { type: 'event', name: 'AddedBlackList', inputs: [{ indexed: false, name: '_user', type: 'address' }] },
  { type: 'event', name: 'RemovedBlackList', inputs: [{ indexed: false, name: '_user', type: 'address' }] },
] as const;

type AbiEntry = (typeof TETHER_TOKEN_ABI)[number];
export type TetherFunctionName = Extract<AbiEntry, { type: 'function' }>['name'];
export type TetherEventName = Extract<AbiEntry, { type: 'event' }>['name'];

/** `transfer(address,uint256)`: the canonical signature java-tron hashes into the 4-byte selector. */
export function functionSignature(name: TetherFunctionName): string {
  const entry = TETHER_TOKEN_ABI.find((e) => e.type === 'function' && e.name === name)!;
  return `${name}(${entry.inputs.map((i) => i.type).join(',')})`;
}

export function eventSignature(name: TetherEventName): string {
  const entry = TETHER_TOKEN_ABI.find((e) => e.type === 'event' && e.name === name)!;
  return `${name}(${entry.inputs.map((i) => i.type).join(',')})`;
}
