import { EncryptedKey, Wallet, WalletKeyRecord } from '../domain/wallet';
import { WalletDocument } from './wallet.schema';

/** A lean document: plain fields, no Mongoose methods. Key fields are present only when selected. */
export type WalletLean = Pick<WalletDocument, 'address' | 'label' | 'keyId' | 'disabled' | 'createdAt'> &
  Partial<Pick<WalletDocument, 'keyNonce' | 'keyCiphertext' | 'keyTag'>>;

export const WalletMapper = {
  /** Copies public fields only, so a document read with key fields still yields a key-free Wallet. */
  toDomain(doc: WalletLean): Wallet {
    return {
      address: doc.address,
      label: doc.label,
      keyId: doc.keyId,
      disabled: doc.disabled === true,
      createdAt: new Date(doc.createdAt),
    };
  },

  toKeyRecord(doc: WalletLean): WalletKeyRecord {
    if (!doc.keyNonce || !doc.keyCiphertext || !doc.keyTag) {
      throw new Error(`wallet ${doc.address}: encrypted key fields were not loaded`);
    }
    return {
      address: doc.address,
      disabled: doc.disabled === true,
      encryptedKey: { keyId: doc.keyId, nonce: doc.keyNonce, ciphertext: doc.keyCiphertext, tag: doc.keyTag },
    };
  },

  keyFields(key: EncryptedKey): Pick<WalletDocument, 'keyId' | 'keyNonce' | 'keyCiphertext' | 'keyTag'> {
    return { keyId: key.keyId, keyNonce: key.nonce, keyCiphertext: key.ciphertext, keyTag: key.tag };
  },
};
