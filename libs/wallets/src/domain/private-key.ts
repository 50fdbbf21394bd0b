import { utils } from 'tronweb';

const PRIVATE_KEY_HEX = /^[0-9a-fA-F]{64}$/;
/** Order of the secp256k1 group: a private key is an integer in [1, n-1]. */
const SECP256K1_N = 0xfffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141n;

/**
 * Parses a 64-hex-character private key into a 32-byte buffer the caller must `fill(0)` after use.
 * Returns null for anything that is not a usable secp256k1 key; never says why in terms of the value.
 */
export function parsePrivateKeyHex(hex: string): Buffer | null {
  if (!PRIVATE_KEY_HEX.test(hex)) return null;
  const bytes = Buffer.from(hex, 'hex');
  if (!isValidScalar(bytes)) {
    bytes.fill(0);
    return null;
  }
  return bytes;
}

/** The base58 TRON address of a private key, computed locally (no node involved). */
export function addressOfPrivateKey(privateKey: Uint8Array): string {
  const addressBytes = utils.crypto.getAddressFromPriKey(privateKey);
  return utils.crypto.getBase58CheckAddress(addressBytes);
}

function isValidScalar(bytes: Buffer): boolean {
  // A bigint made from the key cannot be zeroed; compare bytewise against n instead.
  const n = Buffer.from(SECP256K1_N.toString(16), 'hex');
  return bytes.some((byte) => byte !== 0) && Buffer.compare(bytes, n) < 0;
}
