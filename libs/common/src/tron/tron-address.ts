import { utils } from 'tronweb';

/** The shape of a base58 TRON address (the checksum is checked in code; the OpenAPI format names it). */
export const TRON_ADDRESS_PATTERN = '^T[1-9A-HJ-NP-Za-km-z]{33}$';
export const TXID_PATTERN = '^[0-9a-fA-F]{64}$';

const BASE58_SHAPE = new RegExp(TRON_ADDRESS_PATTERN);
const TXID = new RegExp(TXID_PATTERN);
/**
 * Addresses whose checksum passed lately (a string's validity never changes): the check is two SHA-256 in
 * JavaScript, 5% of a balance read's CPU, and the same addresses (hot wallets, payees) come back all day.
 */
const RECENTLY_VALID = new Set<string>();
const RECENTLY_VALID_MAX = 10_000;

/**
 * True for a base58check TRON address (T..., 34 characters, valid checksum). The hex form (41...) is
 * deliberately refused at the API edge: one spelling per address keeps records and limits comparable.
 */
export function isTronAddress(value: unknown): value is string {
  if (typeof value !== 'string' || !BASE58_SHAPE.test(value)) return false;
  if (RECENTLY_VALID.has(value)) return true;
  if (!utils.crypto.isAddressValid(value)) return false;
  if (RECENTLY_VALID.size >= RECENTLY_VALID_MAX) RECENTLY_VALID.delete(RECENTLY_VALID.values().next().value!);
  RECENTLY_VALID.add(value);
  return true;
}

/** True for a transaction id: 64 hexadecimal characters. */
export function isTxId(value: unknown): value is string {
  return typeof value === 'string' && TXID.test(value);
}
