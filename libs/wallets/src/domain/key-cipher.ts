import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

import { AppError, ErrorCode } from '@app/common';
import type { MasterKey } from '@app/config';

import { EncryptedKey } from './wallet';

/** A key-encryption key and the id stored beside every key it encrypts (the config's master key). */
export type KeyEncryptionKey = MasterKey;

const ALGORITHM = 'aes-256-gcm';
const KEY_BYTES = 32;
/** 96 bits: the size GCM is specified for; anything else is hashed into a counter and weakens the bound. */
const NONCE_BYTES = 12;
const TAG_BYTES = 16;

/**
 * Encrypts and decrypts wallet private keys with AES-256-GCM. Each record gets a fresh random nonce, and the
 * wallet's base58 address is the associated data, so a ciphertext copied onto another wallet's record does
 * not decrypt. New records use the current master key; previous keys only decrypt, until rotation has
 * re-encrypted everything under the current one.
 *
 * Pure (node:crypto only): no Nest, no I/O, so it is unit-tested directly. Errors never carry key material:
 * callers get USDT_ERR_503 with a fixed message, and the reason is a plain Error in `cause`.
 */
export class KeyCipher {
  private readonly keys = new Map<string, Buffer>();

  constructor(
    private readonly current: KeyEncryptionKey,
    previous: readonly KeyEncryptionKey[] = [],
  ) {
    for (const { id, key } of [current, ...previous]) {
      if (key.length !== KEY_BYTES) {
        throw new AppError(ErrorCode.CONFIGURATION, `master key "${id}" must be ${KEY_BYTES} bytes`);
      }
      const known = this.keys.get(id);
      // The same id naming two different keys would make some records undecryptable at random.
      if (known && !known.equals(key)) {
        throw new AppError(ErrorCode.CONFIGURATION, `master key id "${id}" is configured twice`);
      }
      this.keys.set(id, key);
    }
  }

  get currentKeyId(): string {
    return this.current.id;
  }

  /** Encrypts `plaintext` for the wallet `address`. The caller still owns (and zeroes) `plaintext`. */
  encrypt(plaintext: Buffer, address: string): EncryptedKey {
    const nonce = randomBytes(NONCE_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.key, nonce, { authTagLength: TAG_BYTES });
    cipher.setAAD(Buffer.from(address, 'utf8'));
    const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
    return {
      keyId: this.current.id,
      nonce: nonce.toString('base64'),
      ciphertext: ciphertext.toString('base64'),
      tag: cipher.getAuthTag().toString('base64'),
    };
  }

  /**
   * Decrypts the record of wallet `address`. The returned buffer holds the private key: the caller must
   * `fill(0)` it as soon as it is used. A wrong master key, another wallet's record or any tampering fails
   * the GCM tag check and throws USDT_ERR_503.
   */
  decrypt(record: EncryptedKey, address: string): Buffer {
    const key = this.keys.get(record.keyId);
    if (!key) throw unavailable(`no master key with id "${record.keyId}" is configured`);
    const nonce = Buffer.from(record.nonce, 'base64');
    const tag = Buffer.from(record.tag, 'base64');
    if (nonce.length !== NONCE_BYTES || tag.length !== TAG_BYTES) {
      throw unavailable('encrypted key record is malformed');
    }
    const decipher = createDecipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.from(address, 'utf8'));
    decipher.setAuthTag(tag);
    const head = decipher.update(Buffer.from(record.ciphertext, 'base64'));
    try {
      const tail = decipher.final();
      const plaintext = Buffer.concat([head, tail]);
      tail.fill(0);
      return plaintext;
    } catch {
      // node's message ("unable to authenticate data") holds nothing secret, but a fixed reason is enough.
      throw unavailable('authentication of the encrypted key failed (wrong master key or tampered record)');
    } finally {
      // update() already produced unauthenticated plaintext bytes: never let them outlive this call.
      head.fill(0);
    }
  }
}

function unavailable(reason: string): AppError {
  return new AppError(ErrorCode.SIGNING_FAILED, 'wallet key unavailable', [], { cause: new Error(reason) });
}
