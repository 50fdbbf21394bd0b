import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { makeGaugeProvider } from '@willsoto/nestjs-prometheus';
import type { Gauge } from 'prom-client';

import { BlockSubscriber, ChainBlock, ChainFollower } from '@app/tron';

import {
  FundsAtBlock,
  OutflowHold,
  WalletOutflow,
  WalletOutflowStore,
} from '../persistence/wallet-outflow.store';

/** Head blocks between two looks for holds that expired unseen, when no block with transactions came. */
const EXPIRY_SWEEP_EVERY_BLOCKS = 10;
/** Tries to give back a block's holds when another instance gave some of them back at the same moment. */
const RELEASE_ATTEMPTS = 3;

export const HOT_WALLET_HOLDS = 'usdt_hot_wallet_holds';
export const HOT_WALLET_HELD_USDT_RAW = 'usdt_hot_wallet_held_usdt_raw';

/** What the ledger last read of each wallet's holds, less what it gave back then. */
type HeldSummary = Pick<WalletOutflow, 'wallet' | 'usdtRaw'> & { holds: number };

export type Reservation =
  | { held: true }
  /** The funds do not cover it beside what is already committed (`committed` as stored just now). */
  | { held: false; reason: 'funds'; committed: { usdtRaw: bigint; feeSun: bigint } }
  /** The balances predate a block whose holds were given back: read them again at `releasedThrough`. */
  | { held: false; reason: 'stale'; releasedThrough: number }
  /** The wallet has as many transactions in flight as its record may hold. */
  | { held: false; reason: 'full' };

/**
 * Every instance's claims on each hot wallet's funds, in the database (WalletOutflowStore), so that many
 * loops and many instances sign for one wallet at once and none signs what another already committed: a
 * payout's amount and worst-case fee are held in one conditional command against balances read at a known
 * block, right before its signature.
 *
 * A hold is given back when a head block includes its transaction (the balances of that block and later
 * show it spent, and reservations must use balances at least that new), when nothing was stored (a lost lease,
 * a refused signature), and, for what a crash left behind, once the solidified chain is past its transaction's
 * expiration without it. A held payout is therefore never counted as free money, and a spent one is counted
 * at most twice for a moment (which only understates what is free).
 *
 * Subscribed to the chain follower's head blocks; idempotent like every subscriber: a hold is given back once,
 * whichever instance sees its block first.
 */
@Injectable()
export class OutflowLedger implements BlockSubscriber, OnModuleInit {
  private readonly logger = new Logger(OutflowLedger.name);
  private readonly ensured = new Map<string, Promise<void>>();
  /** Per wallet with holds, as of the last block that was looked at (for the gauges). */
  private lastHeld: HeldSummary[] = [];

  constructor(
    private readonly store: WalletOutflowStore,
    private readonly follower: ChainFollower,
  ) {}

  onModuleInit(): void {
    this.follower.subscribe(this);
  }

  /**
   * Holds the payout's funds if the balances cover it beside every other hold on the wallet. The caller holds
   * the transfer's lease in `approved`: a hold the transfer still has from an earlier transaction is one that
   * was never stored (a crash or a lost lease before the store) or that provably can never land (only then
   * is a signed transfer approved again), so it is given back first.
   */
  async reserve(wallet: string, hold: OutflowHold, funds: FundsAtBlock): Promise<Reservation> {
    await this.ensure(wallet);
    if (await this.store.tryReserve(wallet, hold, funds)) return { held: true };
    let record = await this.store.find(wallet);
    const earlier = record?.holds.find((held) => held.transferId === hold.transferId);
    if (earlier) {
      await this.store.tryRelease(wallet, [earlier], 0);
      if (await this.store.tryReserve(wallet, hold, funds)) return { held: true };
      record = await this.store.find(wallet);
    }
    if (!record) {
      // The record is gone (removed by hand since this instance made sure of it): made again, tried again.
      this.ensured.delete(wallet);
      await this.ensure(wallet);
      if (await this.store.tryReserve(wallet, hold, funds)) return { held: true };
      record = await this.store.find(wallet);
      if (!record) return { held: false, reason: 'full' };
    }
    if (record.releasedThrough > funds.atBlock) {
      return { held: false, reason: 'stale', releasedThrough: record.releasedThrough };
    }
    if (record.usdtRaw + hold.usdtRaw > funds.usdtRaw || record.feeSun + hold.feeSun > funds.trxSun) {
      return { held: false, reason: 'funds', committed: { usdtRaw: record.usdtRaw, feeSun: record.feeSun } };
    }
    // Neither funds nor freshness stopped it: the record is full, or it changed since (either way: later).
    return { held: false, reason: 'full' };
  }

  /**
   * Nothing was stored or sent for this hold: its funds are free again. Never throws: a hold that could not
   * be given back (the database away) only understates what is free until it expires, and the caller's own
   * error is the one to report.
   */
  async release(wallet: string, hold: OutflowHold): Promise<void> {
    try {
      await this.store.tryRelease(wallet, [hold], 0);
    } catch (err) {
      this.logger.warn({ err, wallet, txid: hold.txid }, 'hold not given back; it goes when it expires');
    }
  }

  /**
   * Gives back the holds of the transactions this block includes, and every few blocks those that expired
   * without landing (the solidified chain is past their expiration).
   */
  async onHeadBlock(block: ChainBlock): Promise<void> {
    const sweep = block.number % EXPIRY_SWEEP_EVERY_BLOCKS === 0;
    if (!block.transactions.length && !sweep) return;
    const inBlock = new Set(block.transactions.map((tx) => tx.txid));
    const solidified = this.follower.latestHeads()?.solidified;
    const held: HeldSummary[] = [];
    for (const record of await this.store.withHolds()) {
      const included = record.holds.filter((hold) => inBlock.has(hold.txid));
      await this.releaseAll(record.wallet, included, block.number);
      const expired = record.holds.filter(
        (hold) => solidified && !inBlock.has(hold.txid) && hold.expiresAt.getTime() < solidified.timestamp,
      );
      // Never in a block we saw, or in one the follower skipped: either way the balances of the solidified
      // head show the outcome, so reservations from now on must use balances at least that new.
      if (solidified) await this.releaseAll(record.wallet, expired, solidified.number);
      const gone = new Set([...included, ...expired]);
      const left = record.holds.filter((hold) => !gone.has(hold));
      const usdtRaw = left.reduce((sum, hold) => sum + hold.usdtRaw, 0n);
      held.push({ wallet: record.wallet, holds: left.length, usdtRaw });
    }
    this.lastHeld = held;
  }

  /** Each wallet's transactions in flight and the USDT they hold, as of the last block looked at. */
  heldByWallet(): readonly HeldSummary[] {
    return this.lastHeld;
  }

  /** Gives back every hold of `holds` still there; another instance may be giving back some of them. */
  private async releaseAll(wallet: string, holds: OutflowHold[], releasedThrough: number): Promise<void> {
    let pending = holds;
    for (let attempt = 0; pending.length && attempt < RELEASE_ATTEMPTS; attempt++) {
      if (await this.store.tryRelease(wallet, pending, releasedThrough)) return;
      const txids = new Set(pending.map((hold) => hold.txid));
      pending = (await this.store.find(wallet))?.holds.filter((hold) => txids.has(hold.txid)) ?? [];
    }
    if (pending.length) {
      this.logger.warn({ wallet, holds: pending.length }, 'holds not given back yet; tried again next block');
    }
  }

  private ensure(wallet: string): Promise<void> {
    let ensured = this.ensured.get(wallet);
    if (!ensured) {
      ensured = this.store.ensure(wallet);
      this.ensured.set(wallet, ensured);
      ensured.catch(() => this.ensured.delete(wallet));
    }
    return ensured;
  }
}

/**
 * Gauges from what the ledger last read (no database command per scrape): refreshed by every block with
 * transactions and every few blocks otherwise. A wallet with nothing in flight has no series.
 */
export const outflowMetricProviders = [
  makeGaugeProvider({
    name: HOT_WALLET_HOLDS,
    help: 'Transactions of each hot wallet holding its funds until a block includes them',
    labelNames: ['address'],
    inject: [OutflowLedger],
    collect(this: Gauge<string>, ledger: OutflowLedger) {
      this.reset();
      for (const held of ledger.heldByWallet()) this.set({ address: held.wallet }, held.holds);
    },
  }),
  makeGaugeProvider({
    name: HOT_WALLET_HELD_USDT_RAW,
    help: 'USDT base units (6 decimals) of each hot wallet held by its transactions in flight',
    labelNames: ['address'],
    inject: [OutflowLedger],
    collect(this: Gauge<string>, ledger: OutflowLedger) {
      this.reset();
      // Number() loses precision above 2^53 base units (9e9 USDT): irrelevant for a gauge.
      for (const held of ledger.heldByWallet()) this.set({ address: held.wallet }, Number(held.usdtRaw));
    },
  }),
];
