import { Injectable } from '@nestjs/common';

import { Transfer } from '../domain/transfer';

/** Transactions watched at most this long; older ones are left to the per-transaction check. */
const WATCH_MS = 30 * 60_000;

interface Watch {
  /** The transfer as it was when its transaction was first watched: what settling it needs never changes. */
  transfer: Transfer;
  since: number;
}

/**
 * The signed transactions this instance waits to see settled in a solidified block: txid -> transfer. The
 * chain follower's blocks are matched against it, so a block costs no database read, neither for transactions
 * that are not ours nor for ours (settling is guarded by status and txid, so a transfer another instance
 * settled first is left alone). Kept in memory on purpose: what a restarted or dead instance watched is found again by the
 * tracker's per-transaction check, which every in-flight transfer still gets, only later.
 */
@Injectable()
export class WatchedTransactions {
  private readonly byTxid = new Map<string, Watch>();

  watch(transfer: Transfer): void {
    const tx = transfer.tx;
    if (!tx || this.byTxid.has(tx.txid)) return;
    this.byTxid.set(tx.txid, { transfer, since: Date.now() });
  }

  transferOf(txid: string): Transfer | undefined {
    return this.byTxid.get(txid)?.transfer;
  }

  /** Settled (or being settled): no longer waited for. */
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
