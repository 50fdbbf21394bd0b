import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode, isTronAddress } from '@app/common';

import { DEFAULT_WALLET_LABEL, Wallet } from '../domain/wallet';
import { WalletRepository } from '../persistence/wallet.repository';
import { walletDisabledError } from '../signer/wallet-signer';

/**
 * How old the set of hot wallet addresses may be. Addresses are only ever added (an import), and an import on
 * this instance refreshes it at once; one on another instance is seen within this time.
 */
const ADDRESSES_MAX_AGE_MS = 1000;

/**
 * Which hot wallet pays. The default is the wallet labelled `default` when it is enabled, else the oldest
 * enabled wallet. Unknown wallets are USDT_ERR_503 ("key unavailable"); a disabled one is USDT_ERR_504.
 */
@Injectable()
export class ResolveWallet {
  constructor(private readonly wallets: WalletRepository) {}

  /** Every registered address, shared by the intake checks of all payouts (not one read per destination). */
  private addresses?: { set: Promise<Set<string>>; readAt: number };

  async getDefault(): Promise<Wallet> {
    const labelled = await this.wallets.findByLabel(DEFAULT_WALLET_LABEL);
    const wallet = labelled && !labelled.disabled ? labelled : await this.wallets.findOldestEnabled();
    if (!wallet) throw new AppError(ErrorCode.SIGNING_FAILED, 'no enabled hot wallet is registered');
    return wallet;
  }

  /** By base58 address or by label. */
  async get(addressOrLabel: string): Promise<Wallet> {
    const wallet = isTronAddress(addressOrLabel)
      ? await this.wallets.findByAddress(addressOrLabel)
      : await this.wallets.findByLabel(addressOrLabel);
    if (!wallet) {
      // The argument is not echoed: callers sometimes pass user input here.
      throw new AppError(ErrorCode.SIGNING_FAILED, 'no enabled hot wallet with that address or label');
    }
    if (wallet.disabled) throw walletDisabledError(wallet.address);
    return wallet;
  }

  /** Whether `address` is one of our hot wallets, enabled or not: paying it is moving money between our own. */
  async isHotWallet(address: string): Promise<boolean> {
    return (await this.addressSet()).has(address);
  }

  /** Addresses of every registered hot wallet, enabled or not (what we manage, e.g. for look-alike checks). */
  async allHotWalletAddresses(): Promise<string[]> {
    return [...(await this.addressSet())];
  }

  /** A wallet was imported here: the next check reads the registry again. */
  addressesChanged(): void {
    this.addresses = undefined;
  }

  private addressSet(): Promise<Set<string>> {
    if (this.addresses && Date.now() - this.addresses.readAt < ADDRESSES_MAX_AGE_MS)
      return this.addresses.set;
    const set = this.wallets.list().then((wallets) => new Set(wallets.map((w) => w.address)));
    const entry = { set, readAt: Date.now() };
    this.addresses = entry;
    // A failed read is not kept.
    set.catch(() => {
      if (this.addresses === entry) this.addresses = undefined;
    });
    return set;
  }

  /** Every disabled wallet, with why and since when (for /status, metrics and the pipeline's skip list). */
  async disabledWallets(): Promise<Wallet[]> {
    return (await this.wallets.list()).filter((w) => w.disabled);
  }

  /** Addresses of every enabled hot wallet, oldest first (for /status and health). */
  async hotWalletAddresses(): Promise<string[]> {
    return (await this.wallets.list()).filter((w) => !w.disabled).map((w) => w.address);
  }
}
