import { utils } from 'tronweb';

import { isTxId, txIdOf } from '@app/common';

/**
 * The fields the signer reads. Structural on purpose: TronWeb's `Types.Transaction` and @app/tron's
 * `UnsignedTransaction` both fit, and the signer returns the same type with `signature` added.
 */
export interface SignableTransaction {
  txID: string;
  raw_data_hex: string;
  raw_data?: { contract?: readonly unknown[] };
}

/**
 * What a transaction must satisfy before a hot wallet signs it. The signature covers only the txID, so the
 * txID must be the hash of the raw bytes that will be broadcast; otherwise a wrong (or hostile) builder could
 * obtain a signature over something else. Returns the reason it is refused, or null.
 */
export function whyUnsignable(tx: SignableTransaction, walletAddress: string): string | null {
  if (!isTxId(tx?.txID)) return 'txID is not 64 hex characters';
  if (typeof tx.raw_data_hex !== 'string' || !/^([0-9a-fA-F]{2})+$/.test(tx.raw_data_hex)) {
    return 'raw_data_hex is missing or not hex';
  }
  if (txIdOf(tx.raw_data_hex) !== tx.txID.toLowerCase()) return 'txID is not the sha256 of raw_data_hex';
  const owner = ownerAddressOf(tx);
  if (owner !== undefined && owner !== walletAddress) return 'the transaction is owned by another address';
  return null;
}

/** The first contract's owner in base58, whichever spelling the builder used; undefined when absent. */
function ownerAddressOf(tx: SignableTransaction): string | undefined {
  const contract = tx.raw_data?.contract?.[0] as
    { parameter?: { value?: { owner_address?: unknown } } } | undefined;
  const owner = contract?.parameter?.value?.owner_address;
  if (typeof owner !== 'string') return undefined;
  if (/^41[0-9a-fA-F]{40}$/.test(owner)) return utils.address.fromHex(owner);
  return owner;
}
