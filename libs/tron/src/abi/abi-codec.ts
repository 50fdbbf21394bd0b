import { TronWeb } from 'tronweb';

/**
 * The handful of ABI encodings the TRC-20 calls need (address, uint256, bool, string), written out so that
 * every value crossing the node boundary is checked here rather than trusted to a generic decoder.
 */

const WORD_HEX = 64;
const MAX_UINT256 = 2n ** 256n - 1n;

export class AbiDecodeError extends Error {
  override name = 'AbiDecodeError';
}

/** A base58 address as one 32-byte word: the 20-byte account id, left-padded (TRON's 0x41 prefix dropped). */
export function encodeAddress(base58: string): string {
  const hex = TronWeb.address.toHex(base58);
  if (!/^41[0-9a-fA-F]{40}$/.test(hex)) throw new TypeError(`not a TRON address: ${base58}`);
  return hex.slice(2).toLowerCase().padStart(WORD_HEX, '0');
}

export function encodeUint256(value: bigint): string {
  if (value < 0n || value > MAX_UINT256) throw new RangeError('uint256 out of range');
  return value.toString(16).padStart(WORD_HEX, '0');
}

function word(output: string, index: number): string {
  const w = output.slice(index * WORD_HEX, (index + 1) * WORD_HEX);
  if (w.length !== WORD_HEX || !/^[0-9a-fA-F]+$/.test(w)) {
    throw new AbiDecodeError(`contract output too short or not hex (word ${index})`);
  }
  return w;
}

export function decodeUint256(output: string, index = 0): bigint {
  return BigInt(`0x${word(output, index)}`);
}

export function decodeBool(output: string): boolean {
  const value = decodeUint256(output);
  if (value > 1n) throw new AbiDecodeError('contract output is not a bool');
  return value === 1n;
}

/** An address word (or an indexed log topic) back to base58. */
export function decodeAddress(output: string, index = 0): string {
  return TronWeb.address.fromHex(`41${word(output, index).slice(24)}`);
}

/**
 * A dynamic `string` return value. Some old tokens return `bytes32` instead; that form (a single word of
 * zero-padded text) is accepted too, since `name()` and `symbol()` are only informational.
 */
export function decodeString(output: string): string {
  if (output.length === WORD_HEX) {
    return Buffer.from(output, 'hex').toString('utf8').replace(/\0+$/, '');
  }
  const offset = Number(decodeUint256(output, 0));
  if (offset % 32 !== 0) throw new AbiDecodeError('bad string offset');
  const lengthWord = offset / 32;
  const length = Number(decodeUint256(output, lengthWord));
  const start = (lengthWord + 1) * WORD_HEX;
  const hex = output.slice(start, start + length * 2);
  if (hex.length !== length * 2) throw new AbiDecodeError('string shorter than its length');
  return Buffer.from(hex, 'hex').toString('utf8');
}

/** The first four bytes of keccak256 of a function signature, hex: the call data's prefix. */
export function functionSelector(signature: string): string {
  return TronWeb.sha3(signature, false).slice(0, 8);
}

/** keccak256 of an event signature, as java-tron writes it in `log.topics[0]` (no 0x). */
export function eventTopic(signature: string): string {
  return TronWeb.sha3(signature, false);
}
