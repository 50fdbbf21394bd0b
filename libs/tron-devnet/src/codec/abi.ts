import { utils } from 'tronweb';

/** ABI encoding of the static types the USDT contract uses, plus `string` outputs. */

export const MAX_UINT256 = (1n << 256n) - 1n;

export function selectorOf(signature: string): string {
  return utils.ethersUtils.keccak256(Buffer.from(signature, 'utf8')).slice(2, 10);
}

export function topicOf(signature: string): string {
  return utils.ethersUtils.keccak256(Buffer.from(signature, 'utf8')).slice(2);
}

export function encodeUint(value: bigint): string {
  return value.toString(16).padStart(64, '0');
}

export function encodeBool(value: boolean): string {
  return encodeUint(value ? 1n : 0n);
}

export function encodeAddressWord(hex41: string): string {
  return hex41.slice(2).padStart(64, '0');
}

export function encodeString(value: string): string {
  const bytes = Buffer.from(value, 'utf8');
  const padded = Math.ceil(bytes.length / 32) * 32;
  const body = Buffer.concat([bytes, Buffer.alloc(padded - bytes.length)]).toString('hex');
  return encodeUint(32n) + encodeUint(BigInt(bytes.length)) + body;
}

export type AbiStaticType = 'address' | 'uint256' | 'bool';
export type AbiValue = string | bigint | boolean;

/**
 * Decodes static arguments after the 4-byte selector. Returns undefined when the calldata is too short
 * (the contract then reverts, like TetherToken's onlyPayloadSize guard).
 */
export function decodeArgs(args: Buffer, types: readonly AbiStaticType[]): AbiValue[] | undefined {
  if (args.length < types.length * 32) return undefined;
  return types.map((type, i) => {
    const word = args.subarray(i * 32, i * 32 + 32);
    if (type === 'address') return '41' + word.subarray(12).toString('hex');
    const n = BigInt('0x' + word.toString('hex'));
    return type === 'bool' ? n !== 0n : n;
  });
}
