import { createHash } from 'node:crypto';

import { utils } from 'tronweb';

/**
 * TRON addresses: 21 bytes, 0x41 followed by the 20-byte account id. Internally the devnet always keys
 * accounts by the lowercase 42-character hex form ("41..."); base58check is only produced at the edge.
 */

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
const ALPHABET_MAP = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]));
const base58Cache = new Map<string, string>();
const hexCache = new Map<string, string>();
const CACHE_LIMIT = 100_000;

export class InvalidAddressError extends Error {
  constructor(value: unknown) {
    super(`invalid address: ${String(value).slice(0, 64)}`);
    this.name = 'InvalidAddressError';
  }
}

function sha256(data: Uint8Array): Buffer {
  return createHash('sha256').update(data).digest();
}

function base58Encode(bytes: Buffer): string {
  let n = BigInt('0x' + (bytes.length ? bytes.toString('hex') : '0'));
  let out = '';
  while (n > 0n) {
    out = ALPHABET[Number(n % 58n)] + out;
    n /= 58n;
  }
  for (const b of bytes) {
    if (b !== 0) break;
    out = '1' + out;
  }
  return out;
}

function base58Decode(text: string): Buffer | undefined {
  let n = 0n;
  for (const c of text) {
    const v = ALPHABET_MAP.get(c);
    if (v === undefined) return undefined;
    n = n * 58n + BigInt(v);
  }
  let hex = n.toString(16);
  if (hex.length % 2) hex = '0' + hex;
  let lead = 0;
  while (lead < text.length && text[lead] === '1') lead++;
  return Buffer.concat([Buffer.alloc(lead), Buffer.from(n === 0n ? '' : hex, 'hex')]);
}

function remember(cache: Map<string, string>, key: string, value: string): void {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
}

/** Lowercase 41-prefixed hex to base58check ("T..."). */
export function hexToBase58(hex41: string): string {
  const cached = base58Cache.get(hex41);
  if (cached) return cached;
  const bytes = Buffer.from(hex41, 'hex');
  const check = sha256(sha256(bytes)).subarray(0, 4);
  const b58 = base58Encode(Buffer.concat([bytes, check]));
  remember(base58Cache, hex41, b58);
  return b58;
}

function base58ToHex(b58: string): string | undefined {
  const cached = hexCache.get(b58);
  if (cached) return cached;
  const raw = base58Decode(b58);
  if (!raw || raw.length !== 25) return undefined;
  const body = raw.subarray(0, 21);
  const check = sha256(sha256(body)).subarray(0, 4);
  if (!check.equals(raw.subarray(21)) || body[0] !== 0x41) return undefined;
  const hex = body.toString('hex');
  remember(hexCache, b58, hex);
  return hex;
}

/** The payload of a base58check string, its checksum verified; undefined for a bad character or checksum. */
export function base58CheckPayload(text: string): Buffer | undefined {
  const raw = base58Decode(text);
  if (!raw || raw.length <= 4) return undefined;
  const body = raw.subarray(0, raw.length - 4);
  return sha256(sha256(body))
    .subarray(0, 4)
    .equals(raw.subarray(raw.length - 4))
    ? body
    : undefined;
}

/** Accepts base58 ("T..."), 41-hex, 0x-prefixed or bare 20-byte hex; returns lowercase 41-hex or undefined. */
export function tryToHexAddress(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.length === 0) return undefined;
  if (value.length === 34 && value[0] === 'T') return base58ToHex(value);
  const clean = value.replace(/^0x/i, '').toLowerCase();
  if (!/^[0-9a-f]+$/.test(clean)) return undefined;
  if (clean.length === 42 && clean.startsWith('41')) return clean;
  if (clean.length === 40) return '41' + clean;
  return undefined;
}

export function toHexAddress(value: unknown): string {
  const hex = tryToHexAddress(value);
  if (!hex) throw new InvalidAddressError(value);
  return hex;
}

/** Renders an internal hex address the way java-tron does for the request's `visible` flag. */
export function renderAddress(hex41: string, visible: boolean): string {
  return visible ? hexToBase58(hex41) : hex41;
}

/** Address of an uncompressed secp256k1 public key (65 bytes, 0x04...). */
export function addressFromPublicKey(publicKey: Uint8Array): string {
  const hash = utils.ethersUtils.keccak256(publicKey.subarray(1));
  return '41' + hash.slice(-40);
}

/** java-tron's contract address rule: keccak256(txID ++ ownerAddress), last 20 bytes, 0x41 prefix. */
export function contractAddressFrom(txIdHex: string, ownerHex41: string): string {
  const hash = utils.ethersUtils.keccak256(Buffer.from(txIdHex + ownerHex41, 'hex'));
  return '41' + hash.slice(-40);
}

/** ABI form of an address: 32-byte word holding the 20-byte id. */
export function addressToWord(hex41: string): string {
  return '000000000000000000000000' + hex41.slice(2);
}
