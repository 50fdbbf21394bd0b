import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

import { TIMED_WAIT_CODES } from '@app/transfers';

import { TronNodeState } from './node/tron-node-state';
import { ScrapeReads } from './scrape-reads';
import { HotWalletBalances, HotWalletBalancesSnapshot } from './wallets/hot-wallet-balances';

export const HOT_WALLET_USDT_RAW = 'usdt_hot_wallet_usdt_raw';
export const HOT_WALLET_TRX_SUN = 'usdt_hot_wallet_trx_sun';
export const TRANSFERS_IN_FLIGHT = 'usdt_transfers_in_flight';
export const HOT_WALLET_DISABLED = 'usdt_hot_wallet_disabled';
export const TRANSFERS_WAITING = 'usdt_transfers_waiting';
export const TRON_NODE_UP = 'usdt_tron_node_up';

type Reading = 'usdtRaw' | 'trxSun';

/**
 * Sets one series per hot wallet from the cached snapshot. The gauge is reset first so a wallet that was
 * disabled, or whose balance could not be read this time, has no series rather than a stale value that
 * would look healthy to an alert.
 */
async function collectBalances(gauge: Gauge<string>, balances: HotWalletBalances, reading: Reading) {
  let snapshot: HotWalletBalancesSnapshot;
  try {
    snapshot = await balances.snapshot();
  } catch {
    // A failing database must not fail the whole scrape: the other metrics are what diagnoses it.
    gauge.reset();
    return;
  }
  gauge.reset();
  for (const wallet of snapshot.wallets) {
    const value = wallet[reading];
    // Number() loses precision above 2^53 base units (9e9 USDT, 9e9 TRX): irrelevant for a gauge.
    if (value !== null) gauge.set({ address: wallet.address }, Number(value));
  }
}

/**
 * Gauges read at scrape time (`collect`). Wallet balances come from the 15 s cache so scrapes do not turn
 * into node calls; the in-flight count, waiting transfers and wallet states are indexed database reads that
 * the scrapes of one second share (ScrapeReads). Transfer transition counters, the request-to-broadcast and
 * confirmation histograms and node call metrics live in libs/transfers and libs/tron.
 */
export const healthMetricProviders = [
  makeGaugeProvider({
    name: HOT_WALLET_USDT_RAW,
    help: 'USDT balance of each enabled hot wallet in base units (6 decimals); absent when unreadable',
    labelNames: ['address'],
    inject: [HotWalletBalances],
    collect(this: Gauge<string>, balances: HotWalletBalances) {
      return collectBalances(this, balances, 'usdtRaw');
    },
  }),
  makeGaugeProvider({
    name: HOT_WALLET_TRX_SUN,
    help: 'TRX balance of each enabled hot wallet in sun (pays fees); absent when unreadable',
    labelNames: ['address'],
    inject: [HotWalletBalances],
    collect(this: Gauge<string>, balances: HotWalletBalances) {
      return collectBalances(this, balances, 'trxSun');
    },
  }),
  makeGaugeProvider({
    name: TRANSFERS_IN_FLIGHT,
    help: 'Transfers approved, signed or broadcast and not yet final',
    inject: [ScrapeReads],
    async collect(this: Gauge<string>, reads: ScrapeReads) {
      try {
        this.set(await reads.inFlight());
      } catch {
        // Keep the last value rather than fail the scrape; the database indicator reports the outage.
      }
    },
  }),
  makeGaugeProvider({
    name: HOT_WALLET_DISABLED,
    help: '1 for each hot wallet an admin disabled (it signs nothing), 0 for each enabled one',
    labelNames: ['address'],
    inject: [ScrapeReads],
    async collect(this: Gauge<string>, reads: ScrapeReads) {
      try {
        const listings = await reads.hotWallets();
        this.reset();
        for (const wallet of listings) this.set({ address: wallet.address }, wallet.disabled ? 1 : 0);
      } catch {
        // Keep the last values; the database indicator reports the outage.
      }
    },
  }),
  makeGaugeProvider({
    name: TRANSFERS_WAITING,
    help: 'Queued transfers waiting for USDT (USDT_ERR_200), TRX (USDT_ERR_201) or an unpaused token (USDT_ERR_301)',
    labelNames: ['code'],
    inject: [ScrapeReads],
    async collect(this: Gauge<string>, reads: ScrapeReads) {
      try {
        const summary = await reads.waiting();
        // Every code has a series, 0 included, so an alert on it sees the wait end.
        for (const code of TIMED_WAIT_CODES) this.set({ code }, summary.byCode[code] ?? 0);
      } catch {
        // Keep the last values; the database indicator reports the outage.
      }
    },
  }),
  makeGaugeProvider({
    name: TRON_NODE_UP,
    help: '1 while the TRON node answers and its head advances, else 0 (payments wait meanwhile)',
    inject: [TronNodeState],
    async collect(this: Gauge<string>, node: TronNodeState) {
      this.set((await node.snapshot()).up ? 1 : 0);
    },
  }),
];
