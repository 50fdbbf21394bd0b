/**
 * The TetherToken ABI subset the devnet implements, in the form java-tron's `getcontract` returns it
 * (`abi.entrys`, capitalised `type` and `stateMutability`). TronWeb's `contract().at(address)` loads it.
 */

export interface AbiParam {
  indexed?: boolean;
  name: string;
  type: string;
}

export interface AbiEntry {
  constant?: boolean;
  inputs?: AbiParam[];
  name: string;
  outputs?: AbiParam[];
  stateMutability?: 'View' | 'Nonpayable';
  type: 'Function' | 'Event';
}

const fn = (
  name: string,
  inputs: Array<[string, string]>,
  outputs: Array<[string, string]>,
  view: boolean,
): AbiEntry => ({
  ...(view ? { constant: true } : {}),
  ...(inputs.length ? { inputs: inputs.map(([n, type]) => ({ name: n, type })) } : {}),
  name,
  ...(outputs.length ? { outputs: outputs.map(([n, type]) => ({ name: n, type })) } : {}),
  stateMutability: view ? 'View' : 'Nonpayable',
  type: 'Function',
});

const ev = (name: string, inputs: Array<[string, string, boolean]>): AbiEntry => ({
  ...(inputs.length
    ? { inputs: inputs.map(([n, type, indexed]) => ({ ...(indexed ? { indexed } : {}), name: n, type })) }
    : {}),
  name,
  type: 'Event',
});

export const TETHER_ABI: readonly AbiEntry[] = [
  fn('name', [], [['', 'string']], true),
  fn('symbol', [], [['', 'string']], true),
  fn('decimals', [], [['', 'uint256']], true),
  fn('totalSupply', [], [['', 'uint256']], true),
  fn('_totalSupply', [], [['', 'uint256']], true),
  fn('balanceOf', [['who', 'address']], [['', 'uint256']], true),
  fn(
    'allowance',
    [
      ['_owner', 'address'],
      ['_spender', 'address'],
    ],
    [['remaining', 'uint256']],
    true,
  ),
  fn(
    'transfer',
    [
      ['_to', 'address'],
      ['_value', 'uint256'],
    ],
    [['', 'bool']],
    false,
  ),
  fn(
    'transferFrom',
    [
      ['_from', 'address'],
      ['_to', 'address'],
      ['_value', 'uint256'],
    ],
    [['', 'bool']],
    false,
  ),
  fn(
    'approve',
    [
      ['_spender', 'address'],
      ['_value', 'uint256'],
    ],
    [['', 'bool']],
    false,
  ),
  fn('paused', [], [['', 'bool']], true),
  fn('pause', [], [], false),
  fn('unpause', [], [], false),
  fn('owner', [], [['', 'address']], true),
  fn('getOwner', [], [['', 'address']], true),
  fn('transferOwnership', [['newOwner', 'address']], [], false),
  fn('isBlackListed', [['', 'address']], [['', 'bool']], true),
  fn('getBlackListStatus', [['_maker', 'address']], [['', 'bool']], true),
  fn('addBlackList', [['_evilUser', 'address']], [], false),
  fn('removeBlackList', [['_clearedUser', 'address']], [], false),
  fn('destroyBlackFunds', [['_blackListedUser', 'address']], [], false),
  fn('issue', [['amount', 'uint256']], [], false),
  fn('redeem', [['amount', 'uint256']], [], false),
  ev('Transfer', [
    ['from', 'address', true],
    ['to', 'address', true],
    ['value', 'uint256', false],
  ]),
  ev('Approval', [
    ['owner', 'address', true],
    ['spender', 'address', true],
    ['value', 'uint256', false],
  ]),
  ev('Issue', [['amount', 'uint256', false]]),
  ev('Redeem', [['amount', 'uint256', false]]),
  ev('DestroyedBlackFunds', [
    ['_blackListedUser', 'address', false],
    ['_balance', 'uint256', false],
  ]),
  ev('AddedBlackList', [['_user', 'address', false]]),
  ev('RemovedBlackList', [['_user', 'address', false]]),
  ev('Pause', []),
  ev('Unpause', []),
  ev('OwnershipTransferred', [
    ['previousOwner', 'address', true],
    ['newOwner', 'address', true],
  ]),
];

/** "Transfer(address indexed from, address indexed to, uint256 value)" as TronGrid names events. */
export function eventDescriptor(entry: AbiEntry): string {
  const params = (entry.inputs ?? []).map((p) => `${p.type}${p.indexed ? ' indexed' : ''} ${p.name}`.trim());
  return `${entry.name}(${params.join(', ')})`;
}

export function canonicalSignature(entry: AbiEntry): string {
  return `${entry.name}(${(entry.inputs ?? []).map((p) => p.type).join(',')})`;
}
