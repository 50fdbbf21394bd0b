import { Injectable } from '@nestjs/common';

import { PendingOutflow, TransferRepository } from '../persistence/transfer.repository';

/** The stored outflow as one readiness check sees it, and what it must add from this instance's own holds. */
export interface OutflowView {
  /** Signed, not yet executed transfers of the wallet as the database answered. */
  stored: PendingOutflow;
  /**
   * Funds this instance committed to signatures that the stored figure may not include: held and not yet
   * stored, or stored after the read was sent. Call it right before deciding, with no await in between.
   */
  unseen(): PendingOutflow;
  /** The check is over: what only it could still need is forgotten. */
  end(): void;
}

interface Hold {
  wallet: string;
  usdtRaw: bigint;
  feeSun: bigint;
  /** When the signed transfer was stored, on this instance's event clock. */
  storedAt?: number;
}

/**
 * What the wallets of this instance have committed to payouts, so that its pipeline loops sign for one wallet
 * side by side and none of them spends what another just committed. TRON has no nonce, so nothing else needs
 * the signatures in order.
 *
 * A check reads the database's pending outflow (one read shared by the checks that start while it runs) and
 * adds this instance's holds that the read cannot have seen: a hold is taken in the same synchronous step as
 * the decision, so two checks can never both pass on the same funds. A hold stored before the read was sent
 * is in the read; a hold stored later may or may not be, and counts twice then, which only ever understates
 * what is free. Order is an event counter, not a clock: reads and stores are events of this one process.
 *
 * Instances do not see each other's holds until they are stored; two instances signing for the same wallet
 * in the same moment can still together commit more than it holds (the second transaction then reverts on
 * chain and fails, paying only its fee).
 */
@Injectable()
export class InFlightOutflow {
  private clock = 0;
  private readonly holds = new Map<string, Hold>();
  /** Event times of the reads that checks still use, with how many use each. */
  private readonly openReads = new Map<number, number>();
  private readonly runningReads = new Map<string, { at: number; stored: Promise<PendingOutflow> }>();

  constructor(private readonly transfers: TransferRepository) {}

  async begin(wallet: string): Promise<OutflowView> {
    let read = this.runningReads.get(wallet);
    if (!read) {
      const started = { at: ++this.clock, stored: this.transfers.pendingOutflow(wallet) };
      this.runningReads.set(wallet, started);
      const forget = () => {
        if (this.runningReads.get(wallet) === started) this.runningReads.delete(wallet);
      };
      started.stored.then(forget, forget);
      read = started;
    }
    // Open from now, before the answer arrives: a hold stored meanwhile must not be pruned unseen.
    const { at } = read;
    this.openReads.set(at, (this.openReads.get(at) ?? 0) + 1);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      const users = (this.openReads.get(at) ?? 1) - 1;
      if (users > 0) this.openReads.set(at, users);
      else this.openReads.delete(at);
      this.prune();
    };
    try {
      const stored = await read.stored;
      return { stored, unseen: () => this.unseenBy(wallet, at), end };
    } catch (err) {
      end();
      throw err;
    }
  }

  /** Commits the funds of a transfer about to be signed; synchronous, so no other check runs in between. */
  hold(transferId: string, wallet: string, outflow: PendingOutflow): void {
    this.holds.set(transferId, { wallet, ...outflow });
  }

  /**
   * The signed transfer is stored, or its store's outcome is unknown (an error): reads sent from now on show
   * it if it exists.
   */
  stored(transferId: string): void {
    const hold = this.holds.get(transferId);
    if (hold) hold.storedAt = ++this.clock;
    this.prune();
  }

  /** Nothing was stored (the lease was lost before the store): the funds are free again. */
  drop(transferId: string): void {
    this.holds.delete(transferId);
  }

  /** Holds kept (for tests). */
  get size(): number {
    return this.holds.size;
  }

  private unseenBy(wallet: string, readAt: number): PendingOutflow {
    let usdtRaw = 0n;
    let feeSun = 0n;
    for (const hold of this.holds.values()) {
      if (hold.wallet !== wallet || (hold.storedAt !== undefined && hold.storedAt < readAt)) continue;
      usdtRaw += hold.usdtRaw;
      feeSun += hold.feeSun;
    }
    return { usdtRaw, feeSun };
  }

  /** A stored hold that every open and future read includes is no longer needed. */
  private prune(): void {
    let oldestRead = this.clock + 1;
    for (const at of this.openReads.keys()) oldestRead = Math.min(oldestRead, at);
    for (const [id, hold] of this.holds) {
      if (hold.storedAt !== undefined && hold.storedAt < oldestRead) this.holds.delete(id);
    }
  }
}
