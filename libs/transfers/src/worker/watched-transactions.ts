import { Injectable } from '@nestjs/common';

import { Transfer } from '../domain/transfer';

/** Transactions watched at most this long; older ones are left to the per-transaction check. */
const WATCH_MS = 30 * 60_000;

interface Watch {
  transferId: string;
  since: number;
  wallet: string;
  /** USDT it moves (0 for an approve) and its estimated fee, as counted in flight until it settles */
  usdtRaw: bigint;
  feeSun: bigint;
  /** the head block that included it, once the follower has seen it */
  includedIn?: number;
}

/**
 * The signed transactions this instance waits to see settled in a solidified block: txid -> transfer id. The
 * chain follower's blocks are matched against it, so a block costs no database read for transactions that
 * are not ours. Kept in memory on purpose: what a restarted or dead instance watched is found again by the
 * tracker's per-transaction check, which every in-flight transfer still gets, only later.
 *
 * It also remembers which of them a head block already included: their amounts and fees have left the
 * wallet's balance while they are still counted in flight until they solidify (see `includedBy`).
 */
@Injectable()
export class WatchedTransactions {
  private readonly byTxid = new Map<string, Watch>();

  watch(transfer: Transfer): void {
    const tx = transfer.tx;
    if (!tx || this.byTxid.has(tx.txid)) return;
    this.byTxid.set(tx.txid, {
      transferId: transfer.id,
      since: Date.now(),
      wallet: transfer.wallet,
      usdtRaw: transfer.kind === 'transfer' ? transfer.amountRaw : 0n,
      feeSun: transfer.estimatedFeeSun ?? 0n,
    });
  }

  transferOf(txid: string): string | undefined {
    return this.byTxid.get(txid)?.transferId;
  }

  /** A head block holds this transaction (the first block seen holding it counts). */
  included(txid: string, blockNumber: number): void {
    const watch = this.byTxid.get(txid);
    if (watch && watch.includedIn === undefined) watch.includedIn = blockNumber;
  }

  /**
   * USDT and fees of the wallet's watched, unsettled transactions that a block at or below `blockNumber`
   * included: a balance read at that block no longer holds them, so they must not also count as in flight.
   */
  includedBy(wallet: string, blockNumber: number): { usdtRaw: bigint; feeSun: bigint } {
    let usdtRaw = 0n;
    let feeSun = 0n;
    for (const watch of this.byTxid.values()) {
      if (watch.wallet !== wallet || watch.includedIn === undefined || watch.includedIn > blockNumber)
        continue;
      usdtRaw += watch.usdtRaw;
      feeSun += watch.feeSun;
    }
    return { usdtRaw, feeSun };
  }

  /** Settled (or being settled): from now on the database no longer counts it in flight either. */
  forget(txid: string): void {
    this.byTxid.delete(txid);
  }

  /** Drops the oldest entries past their time (insertion order is signing order). */
  forgetOld(now = Date.now()): void {
    for (const [txid, watch] of this.byTxid) {
      if (watch.since >= now - WATCH_MS) break;
      this.byTxid.delete(txid);
    }
  }

  get size(): number {
    return this.byTxid.size;
  }
}
