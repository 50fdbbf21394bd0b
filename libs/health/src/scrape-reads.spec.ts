import type { TransferRepository, WaitingSummary } from '@app/transfers';
import type { ListWallets } from '@app/wallets';

import { SCRAPE_READ_MAX_AGE_MS, ScrapeReads } from './scrape-reads';

describe('ScrapeReads', () => {
  afterEach(() => jest.useRealTimers());

  it('lets the scrapes of one second share each database read, and reads again after it', async () => {
    jest.useFakeTimers({ now: new Date('2026-12-07T12:00:00Z') });
    const reads = { counts: 0, waiting: 0, wallets: 0 };
    let inFlight = 3;
    const transfers = {
      countByStatus: () => Promise.resolve((reads.counts++, inFlight)),
      waitingSummary: () => Promise.resolve((reads.waiting++, { total: 0, byCode: {} } as WaitingSummary)),
    } as unknown as TransferRepository;
    const wallets = {
      execute: () => Promise.resolve((reads.wallets++, [])),
    } as unknown as ListWallets;
    const scrape = new ScrapeReads(transfers, wallets);
    const once = () => Promise.all([scrape.inFlight(), scrape.waiting(), scrape.hotWallets()]);

    expect((await once())[0]).toBe(3);
    inFlight = 4;
    expect((await once())[0]).toBe(3);
    expect(reads).toEqual({ counts: 1, waiting: 1, wallets: 1 });

    jest.setSystemTime(Date.now() + SCRAPE_READ_MAX_AGE_MS);
    expect((await once())[0]).toBe(4);
    expect(reads).toEqual({ counts: 2, waiting: 2, wallets: 2 });
  });
});
