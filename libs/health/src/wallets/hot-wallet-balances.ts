import { Injectable } from '@nestjs/common';

import { ListWallets } from '@app/wallets';

/** How long one read of the hot wallets' balances is reused by health checks and metric scrapes. */
export const HOT_WALLET_BALANCES_TTL_MS = 15_000;

export interface HotWalletBalance {
  address: string;
  /** null when the node could not be read */
  usdtRaw: bigint | null;
  trxSun: bigint | null;
}

export interface HotWalletBalancesSnapshot {
  readAt: number;
  wallets: HotWalletBalance[];
}

/**
 * Balances of the enabled hot wallets, read through the wallets lib and cached for 15 s: /health and every
 * Prometheus scrape ask for them, and without the cache each would cost a node call per wallet (a scraper
 * every 5 s plus a few probes could eat into the node's rate limit that payments need). Concurrent callers
 * share one read. A failed read is cached too, so a node outage is not hammered by the health checks.
 */
@Injectable()
export class HotWalletBalances {
  private cached?: HotWalletBalancesSnapshot;
  private inFlight?: Promise<HotWalletBalancesSnapshot>;

  constructor(private readonly wallets: ListWallets) {}

  snapshot(): Promise<HotWalletBalancesSnapshot> {
    if (this.cached && Date.now() - this.cached.readAt < HOT_WALLET_BALANCES_TTL_MS) {
      return Promise.resolve(this.cached);
    }
    this.inFlight ??= this.read().finally(() => {
      this.inFlight = undefined;
    });
    return this.inFlight;
  }

  private async read(): Promise<HotWalletBalancesSnapshot> {
    const listings = await this.wallets.execute({ balances: true });
    const snapshot: HotWalletBalancesSnapshot = {
      readAt: Date.now(),
      wallets: listings
        .filter((w) => !w.disabled)
        .map((w) => ({
          address: w.address,
          usdtRaw: w.usdtRaw === null ? null : BigInt(w.usdtRaw),
          trxSun: w.trxSun === null ? null : BigInt(w.trxSun),
        })),
    };
    this.cached = snapshot;
    return snapshot;
  }
}
