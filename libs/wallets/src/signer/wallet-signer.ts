import { Injectable, Logger } from '@nestjs/common';
import { utils } from 'tronweb';

import { AppError, ErrorCode } from '@app/common';

import { KeyCipher } from '../domain/key-cipher';
import { addressOfPrivateKey } from '../domain/private-key';
import { describeErrorSafely } from '../domain/redact';
import { SigningKeyRecords } from './signing-key-records';
import { SignableTransaction, whyUnsignable } from './transaction-checks';

/** Stored keys remembered as verified at most (see WalletSigner.verifiedKeys). */
const MAX_VERIFIED_KEYS = 1000;

/** A transaction with the hot wallet's signature appended; txID and raw data unchanged. */
export type Signed<T extends SignableTransaction> = T & { signature: string[] };

/**
 * The only place a hot wallet's private key is decrypted for use: once per signature, signed locally with
 * TronWeb's offline secp256k1 signing (the key never goes to a node), then zeroed. Every failure is the same
 * USDT_ERR_503 to the caller; the reason is logged here, scrubbed of anything that looks like key material.
 */
@Injectable()
export class WalletSigner {
  private readonly logger = new Logger(WalletSigner.name);
  /**
   * Encrypted keys already shown to derive their wallet's address. The cipher is authenticated, so the same
   * stored value always decrypts to the same key: deriving the address again (an elliptic-curve
   * multiplication, as costly as the signature itself) would prove nothing new.
   */
  private readonly verifiedKeys = new Set<string>();

  constructor(
    private readonly keyRecords: SigningKeyRecords,
    private readonly cipher: KeyCipher,
  ) {}

  async sign<T extends SignableTransaction>(address: string, unsignedTx: T): Promise<Signed<T>> {
    const refused = whyUnsignable(unsignedTx, address);
    if (refused) throw this.failure(address, new Error(`refused to sign: ${refused}`));

    const record = await this.keyRecords.find(address);
    if (!record) throw this.failure(address, new Error('no hot wallet with this address'));
    // At most WALLET_STATE_MAX_AGE_MS old: a wallet an admin disabled signs nothing once that has passed.
    if (record.disabled) throw walletDisabledError(address);

    let privateKey: Buffer | undefined;
    try {
      privateKey = this.cipher.decrypt(record.encryptedKey, address);
      // A record whose key belongs to another address would sign for the wrong account: refuse it.
      const { keyId, nonce, ciphertext, tag } = record.encryptedKey;
      const verified = [address, keyId, nonce, ciphertext, tag].join(':');
      if (!this.verifiedKeys.has(verified)) {
        if (addressOfPrivateKey(privateKey) !== address) {
          throw new Error('the decrypted key does not derive the wallet address');
        }
        // Bounded by wallets times key rotations; cleared rather than grown past a sane size.
        if (this.verifiedKeys.size >= MAX_VERIFIED_KEYS) this.verifiedKeys.clear();
        this.verifiedKeys.add(verified);
      }
      // signTransaction appends to `signature` in place: work on a copy so the caller's object stays unsigned.
      const previous = (unsignedTx as { signature?: unknown }).signature;
      const signed: Signed<T> = {
        ...unsignedTx,
        signature: Array.isArray(previous) ? [...(previous as string[])] : [],
      };
      utils.crypto.signTransaction(privateKey, signed);
      return signed;
    } catch (err) {
      throw this.failure(address, err);
    } finally {
      privateKey?.fill(0);
    }
  }

  private failure(address: string, err: unknown): AppError {
    this.logger.error(`signing for ${address} failed: ${describeErrorSafely(err)}`);
    // No cause: the original error (and its stack) might quote inputs of the crypto code.
    return new AppError(ErrorCode.SIGNING_FAILED, 'signing failed or key unavailable');
  }
}

/** A disabled wallet is not a signing failure: its payouts wait for two admins to enable it again. */
export function walletDisabledError(address: string): AppError {
  return new AppError(ErrorCode.WALLET_DISABLED, `hot wallet ${address} is disabled; it signs nothing`);
}
