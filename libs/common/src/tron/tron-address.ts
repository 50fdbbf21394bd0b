import { utils } from 'tronweb';

/** The shape of a base58 TRON address (the checksum is checked in code; the OpenAPI format names it). */
export const TRON_ADDRESS_PATTERN = '^T[1-9A-HJ-NP-Za-km-z]{33}$';
export const TXID_PATTERN = '^[0-9a-fA-F]{64}$';

const BASE58_SHAPE = new RegExp(TRON_ADDRESS_PATTERN);
const TXID = new RegExp(TXID_PATTERN);

/**
 * True for a base58check TRON address (T..., 34 characters, valid checksum). The hex form (41...) is
 * deliberately refused at the API edge: one spelling per address keeps records and limits comparable.
 */
export function isTronAddress(value: unknown): value is string {
  return typeof value === 'string' && BASE58_SHAPE.test(value) && utils.crypto.isAddressValid(value);
}

/** True for a transaction id: 64 hexadecimal characters. */
export function isTxId(value: unknown): value is string {
  return typeof value === 'string' && TXID.test(value);
}
