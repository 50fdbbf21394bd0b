import { EncryptedKey, Wallet, WalletControl, WalletKeyRecord } from '../domain/wallet';

export interface NewWallet {
  address: string;
  label: string;
  encryptedKey: EncryptedKey;
}

/**
 * The wallet registry. An abstract class so that it is its own DI token and unit tests can hand-write a fake.
 * Only `findKeyRecord`, `findKeyRecordsNotUnder` and `replaceKey` touch encrypted key material.
 */
export abstract class WalletRepository {
  /** Throws USDT_ERR_601 when the address or the label is already registered. */
  abstract insert(wallet: NewWallet): Promise<Wallet>;
  abstract findByAddress(address: string): Promise<Wallet | null>;
  abstract findByLabel(label: string): Promise<Wallet | null>;
  /** Oldest first. */
  abstract list(): Promise<Wallet[]>;
  abstract findOldestEnabled(): Promise<Wallet | null>;
  abstract count(): Promise<number>;
  /**
   * Sets `disabled` and the control record only if the wallet's control revision is still `expectedRevision`
   * (compare-and-set); the stored revision becomes `expectedRevision + 1`. False when it changed meanwhile or
   * the wallet does not exist.
   */
  abstract writeControl(
    address: string,
    expectedRevision: number,
    disabled: boolean,
    next: Omit<WalletControl, 'revision'>,
  ): Promise<boolean>;

  abstract findKeyRecord(address: string): Promise<WalletKeyRecord | null>;
  /** Up to `limit` records encrypted under any key other than `keyId`, in address order after `afterAddress`. */
  abstract findKeyRecordsNotUnder(
    keyId: string,
    limit: number,
    afterAddress?: string,
  ): Promise<WalletKeyRecord[]>;
  /**
   * Replaces the encrypted key only if the record still holds `expected` (compare-and-set on key id and
   * nonce), so two concurrent rotations cannot overwrite each other. Returns false when it changed meanwhile.
   */
  abstract replaceKey(address: string, expected: EncryptedKey, next: EncryptedKey): Promise<boolean>;
}
