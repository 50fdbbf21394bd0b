import { EncryptedKey, Wallet, WalletControl, WalletKeyRecord } from '../domain/wallet';
import { WalletDocument } from './wallet.schema';

/** A lean document: plain fields, no Mongoose methods. Key fields are present only when selected. */
export type WalletLean = Pick<WalletDocument, 'address' | 'label' | 'keyId' | 'disabled' | 'createdAt'> &
  Partial<Pick<WalletDocument, 'keyNonce' | 'keyCiphertext' | 'keyTag' | ControlField>>;

type ControlField =
  'controlRevision' | 'disabledReason' | 'disabledBy' | 'disabledAt' | 'enableVotes' | 'enabledAt';

/** The public fields, control state included, that listings and the disable/enable use case read. */
export const CONTROL_FIELDS = 'controlRevision disabledReason disabledBy disabledAt enableVotes enabledAt';

export const WalletMapper = {
  /** Copies public fields only, so a document read with key fields still yields a key-free Wallet. */
  toDomain(doc: WalletLean): Wallet {
    return {
      address: doc.address,
      label: doc.label,
      keyId: doc.keyId,
      disabled: doc.disabled === true,
      createdAt: new Date(doc.createdAt),
      ...(doc.controlRevision ? { control: WalletMapper.toControl(doc) } : {}),
    };
  },

  toControl(doc: WalletLean): WalletControl {
    return {
      revision: doc.controlRevision ?? 0,
      reason: doc.disabledReason ?? undefined,
      disabledBy: doc.disabledBy ?? undefined,
      disabledAt: doc.disabledAt ?? undefined,
      enableVotes: (doc.enableVotes ?? []).map((vote) => ({
        by: vote.by,
        at: vote.at,
        ...(vote.comment ? { comment: vote.comment } : {}),
      })),
      enabledAt: doc.enabledAt ?? undefined,
    };
  },

  /** Every control field, with absent values unset so a re-enabled wallet keeps no stale reason. */
  controlUpdate(revision: number, disabled: boolean, next: Omit<WalletControl, 'revision'>) {
    const set: Record<string, unknown> = {
      disabled,
      controlRevision: revision,
      enableVotes: next.enableVotes,
    };
    const unset: Record<string, ''> = {};
    const optional = {
      disabledReason: next.reason,
      disabledBy: next.disabledBy,
      disabledAt: next.disabledAt,
      enabledAt: next.enabledAt,
    };
    for (const [field, value] of Object.entries(optional)) {
      if (value === undefined) unset[field] = '';
      else set[field] = value;
    }
    return Object.keys(unset).length ? { $set: set, $unset: unset } : { $set: set };
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
