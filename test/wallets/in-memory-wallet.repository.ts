import { AppError, ErrorCode } from '@app/common';

import type { EncryptedKey, Wallet, WalletControl } from '@app/wallets';

import { NewWallet, WalletRepository } from '../../libs/wallets/src/persistence/wallet.repository';

interface Row extends Wallet {
  encryptedKey: EncryptedKey;
}

/** The registry in memory, with the same uniqueness and compare-and-set rules as the Mongoose one. */
export class InMemoryWalletRepository extends WalletRepository {
  readonly rows: Row[] = [];
  private clock = Date.parse('2026-01-01T00:00:00Z');

  insert(wallet: NewWallet): Promise<Wallet> {
    if (this.rows.some((r) => r.address === wallet.address || r.label === wallet.label)) {
      return Promise.reject(new AppError(ErrorCode.WRITE_CONFLICT, 'duplicate'));
    }
    const row: Row = {
      address: wallet.address,
      label: wallet.label,
      keyId: wallet.encryptedKey.keyId,
      encryptedKey: wallet.encryptedKey,
      disabled: false,
      createdAt: new Date((this.clock += 1000)),
    };
    this.rows.push(row);
    return Promise.resolve(publicOf(row));
  }
  findByAddress(address: string): Promise<Wallet | null> {
    return Promise.resolve(this.publicWhere((r) => r.address === address));
  }
  findByLabel(label: string): Promise<Wallet | null> {
    return Promise.resolve(this.publicWhere((r) => r.label === label));
  }
  list(): Promise<Wallet[]> {
    return Promise.resolve(this.sorted().map(publicOf));
  }
  findOldestEnabled(): Promise<Wallet | null> {
    const row = this.sorted().find((r) => !r.disabled);
    return Promise.resolve(row ? publicOf(row) : null);
  }
  count(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
  writeControl(
    address: string,
    expectedRevision: number,
    disabled: boolean,
    next: Omit<WalletControl, 'revision'>,
  ): Promise<boolean> {
    const row = this.rows.find(
      (r) => r.address === address && (r.control?.revision ?? 0) === expectedRevision,
    );
    if (!row) return Promise.resolve(false);
    row.disabled = disabled;
    row.control = { ...next, revision: expectedRevision + 1 };
    return Promise.resolve(true);
  }
  findKeyRecord(address: string) {
    const row = this.rows.find((r) => r.address === address);
    return Promise.resolve(row ? { address, disabled: row.disabled, encryptedKey: row.encryptedKey } : null);
  }
  findKeyRecordsNotUnder(keyId: string, limit: number, afterAddress?: string) {
    const rows = this.rows
      .filter((r) => r.keyId !== keyId && (!afterAddress || r.address > afterAddress))
      // Code-unit order, as MongoDB sorts strings and as the `>` above compares: localeCompare would order
      // mixed-case base58 differently, and a page could then end before an address it already returned.
      .sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0))
      .slice(0, limit);
    return Promise.resolve(
      rows.map((r) => ({ address: r.address, disabled: r.disabled, encryptedKey: r.encryptedKey })),
    );
  }
  replaceKey(address: string, expected: EncryptedKey, next: EncryptedKey): Promise<boolean> {
    const row = this.rows.find(
      (r) => r.address === address && r.keyId === expected.keyId && r.encryptedKey.nonce === expected.nonce,
    );
    if (!row) return Promise.resolve(false);
    row.encryptedKey = next;
    row.keyId = next.keyId;
    return Promise.resolve(true);
  }

  disable(label: string): void {
    this.rows.find((r) => r.label === label)!.disabled = true;
  }

  private sorted(): Row[] {
    return [...this.rows].sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
  }
  private publicWhere(predicate: (row: Row) => boolean): Wallet | null {
    const row = this.rows.find(predicate);
    return row ? publicOf(row) : null;
  }
}

function publicOf(row: Row): Wallet {
  return {
    address: row.address,
    label: row.label,
    keyId: row.keyId,
    disabled: row.disabled,
    createdAt: row.createdAt,
    ...(row.control ? { control: row.control } : {}),
  };
}
