import { Injectable, Logger } from '@nestjs/common';

import { KeyCipher } from '../domain/key-cipher';
import { describeErrorSafely } from '../domain/redact';
import { EncryptedKey, WalletKeyRecord } from '../domain/wallet';
import { WalletRepository } from '../persistence/wallet.repository';
import { SigningKeyRecords } from '../signer/signing-key-records';

export interface RotationResult {
  /** The master key id everything is now meant to be under. */
  currentKeyId: string;
  /** Records found under another key id. */
  examined: number;
  rotated: number;
  /** Changed by someone else (another rotation) between read and write: left as they are. */
  skipped: number;
  /** Could not be decrypted (their master key is no longer configured, or the record is damaged). */
  failed: string[];
}

const PAGE = 100;

/**
 * Re-encrypts every wallet key that is not under the current master key, with a fresh nonce. Run it after
 * making a new WALLET_MASTER_KEY current and listing the old one in WALLET_PREVIOUS_MASTER_KEYS; once it
 * reports no failures the old key can be removed. Each record is replaced with a compare-and-set, so it is
 * safe to run while the service signs and to run twice. Besides the signer, this is the only code that
 * decrypts keys, and the plaintext lives only between decrypt and re-encrypt.
 */
@Injectable()
export class RotateMasterKey {
  private readonly logger = new Logger(RotateMasterKey.name);

  constructor(
    private readonly wallets: WalletRepository,
    private readonly cipher: KeyCipher,
    private readonly keyRecords: SigningKeyRecords,
  ) {}

  async execute(): Promise<RotationResult> {
    const result: RotationResult = {
      currentKeyId: this.cipher.currentKeyId,
      examined: 0,
      rotated: 0,
      skipped: 0,
      failed: [],
    };
    let after: string | undefined;
    for (;;) {
      const page = await this.wallets.findKeyRecordsNotUnder(this.cipher.currentKeyId, PAGE, after);
      if (page.length === 0) break;
      for (const record of page) {
        result.examined += 1;
        try {
          const next = this.reencrypt(record);
          const replaced = await this.wallets.replaceKey(record.address, record.encryptedKey, next);
          this.keyRecords.changed(record.address);
          if (replaced) result.rotated += 1;
          else result.skipped += 1;
        } catch (err) {
          result.failed.push(record.address);
          this.logger.error(`could not re-encrypt the key of ${record.address}: ${describeErrorSafely(err)}`);
        }
      }
      after = page[page.length - 1].address;
    }
    this.logger.log(
      `master key rotation to "${result.currentKeyId}": ${result.rotated} rotated, ` +
        `${result.skipped} skipped, ${result.failed.length} failed`,
    );
    return result;
  }

  /** Synchronous on purpose: the plaintext is zeroed before any await can let other work run. */
  private reencrypt(record: WalletKeyRecord): EncryptedKey {
    const plaintext = this.cipher.decrypt(record.encryptedKey, record.address);
    try {
      return this.cipher.encrypt(plaintext, record.address);
    } finally {
      plaintext.fill(0);
    }
  }
}
