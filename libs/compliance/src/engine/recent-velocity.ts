import { Injectable } from '@nestjs/common';

import { PayoutHistory, PayoutScope } from '../persistence/payout-history';

/** How long one read of a wallet's count serves the drafts after it on this instance. */
const READ_SERVES_MS = 2_000;

interface Read {
  at: number;
  count: Promise<number>;
  /** Drafts evaluated against this read so far: each counts for the ones after it. */
  since: number;
}

/**
 * The velocity rule's count of a wallet's earlier payouts, read from the history at most once per wallet per
 * two seconds on this instance; the drafts evaluated meanwhile are counted on in memory. Reading the window
 * for every payout would read up to `maxCount` documents each time, so a busy wallet's intake would slow
 * down with its own rate. The rule is advisory (a hold, not a limit): within those two seconds it does not
 * see another instance's payouts, and it counts drafts that were refused later, which errs on holding.
 */
@Injectable()
export class RecentVelocity {
  private readonly reads = new Map<string, Read>();

  constructor(private readonly history: PayoutHistory) {}

  async countFrom(wallet: string, since: Date, scope: PayoutScope, atMost: number): Promise<number> {
    const key = `${wallet}|${scope.kind}|${atMost}`;
    const now = Date.now();
    let read = this.reads.get(key);
    if (!read || now - read.at > READ_SERVES_MS) {
      this.forgetOld(now);
      read = { at: now, count: this.history.countFrom(wallet, since, scope, atMost), since: 0 };
      this.reads.set(key, read);
    }
    const counted = read.since++;
    try {
      return Math.min(atMost, (await read.count) + counted);
    } catch (err) {
      if (this.reads.get(key) === read) this.reads.delete(key);
      throw err;
    }
  }

  private forgetOld(now: number): void {
    for (const [key, read] of this.reads) if (now - read.at > READ_SERVES_MS) this.reads.delete(key);
  }
}
