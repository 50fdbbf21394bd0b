import { Injectable, Logger, Optional } from '@nestjs/common';

import { formatUsdtAmount } from '@app/common';

import { Wallet, WalletListing } from '../domain/wallet';
import { WalletBalanceReader, WalletBalances } from '../ports/wallet-balance-reader';

/** Balance reads in flight at once: the node is rate-limited and a registry holds a handful of wallets. */
const CONCURRENCY = 4;

/**
 * Turns registry entries into the public listing, with live balances when asked. A node failure for one
 * wallet shows that wallet's balances as null instead of failing the whole listing. Without a balance reader
 * (the CLI run with --no-balances has no TRON connection) balances are null too.
 */
@Injectable()
export class WalletListingBuilder {
  private readonly logger = new Logger(WalletListingBuilder.name);

  constructor(@Optional() private readonly balances?: WalletBalanceReader) {}

  async build(wallets: readonly Wallet[], withBalances: boolean): Promise<WalletListing[]> {
    const listings: WalletListing[] = [];
    for (let i = 0; i < wallets.length; i += CONCURRENCY) {
      const chunk = wallets.slice(i, i + CONCURRENCY);
      listings.push(
        ...(await Promise.all(
          chunk.map(async (wallet) =>
            toListing(wallet, withBalances ? await this.read(wallet.address) : null),
          ),
        )),
      );
    }
    return listings;
  }

  private async read(address: string): Promise<WalletBalances | null> {
    if (!this.balances) return null;
    try {
      return await this.balances.balances(address);
    } catch (err) {
      this.logger.warn(`balances of ${address} unavailable: ${(err as Error)?.message ?? String(err)}`);
      return null;
    }
  }
}

export function toListing(wallet: Wallet, balances: WalletBalances | null): WalletListing {
  return {
    address: wallet.address,
    label: wallet.label,
    keyId: wallet.keyId,
    disabled: wallet.disabled,
    disabledReason: wallet.disabled ? (wallet.control?.reason ?? null) : null,
    disabledBy: wallet.disabled ? (wallet.control?.disabledBy ?? null) : null,
    disabledAt: wallet.disabled ? (wallet.control?.disabledAt?.toISOString() ?? null) : null,
    enableVotes: wallet.disabled ? (wallet.control?.enableVotes ?? []).map((vote) => vote.by) : [],
    createdAt: wallet.createdAt.toISOString(),
    usdt: balances ? formatUsdtAmount(balances.usdtRaw) : null,
    usdtRaw: balances ? balances.usdtRaw.toString() : null,
    trxSun: balances ? balances.trxSun.toString() : null,
  };
}
