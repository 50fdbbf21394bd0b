import { Injectable } from '@nestjs/common';

import { RecentReads } from '@app/common';
import { IN_FLIGHT_STATUSES, TIMED_WAIT_CODES, TransferRepository, WaitingSummary } from '@app/transfers';
import { ListWallets, WalletListing } from '@app/wallets';

/**
 * A /metrics scrape's reads of the database older than this are read again; newer ones are shared. Monitoring
 * that scrapes often (a benchmark polls 4 times a second; an HA Prometheus pair scrapes twice) then costs the
 * database three reads a second at most, however often it scrapes; one scrape every 15 s, as usual, reads
 * every time.
 */
export const SCRAPE_READ_MAX_AGE_MS = 1_000;

/** The database reads behind the gauges: in-flight transfers, waiting transfers, hot wallets. */
@Injectable()
export class ScrapeReads {
  private readonly inFlightCount = new RecentReads<'all', number>(() =>
    this.transfers.countByStatus(IN_FLIGHT_STATUSES),
  );
  private readonly waitingTransfers = new RecentReads<'all', WaitingSummary>(() =>
    this.transfers.waitingSummary(TIMED_WAIT_CODES),
  );
  private readonly walletListings = new RecentReads<'all', WalletListing[]>(() =>
    this.wallets.execute({ balances: false }),
  );

  constructor(
    private readonly transfers: TransferRepository,
    private readonly wallets: ListWallets,
  ) {}

  inFlight(): Promise<number> {
    return this.inFlightCount.recent('all', SCRAPE_READ_MAX_AGE_MS);
  }

  waiting(): Promise<WaitingSummary> {
    return this.waitingTransfers.recent('all', SCRAPE_READ_MAX_AGE_MS);
  }

  hotWallets(): Promise<WalletListing[]> {
    return this.walletListings.recent('all', SCRAPE_READ_MAX_AGE_MS);
  }
}
