import { Injectable, OnModuleInit } from '@nestjs/common';

import { forEachIndex } from '@app/common';
import { BlockSubscriber, ChainFollower, SolidifiedBlock } from '@app/tron';

import { TrackOnChain } from './track-on-chain';
import { WatchedTransactions } from './watched-transactions';

/** Transfers of one solidified block settled side by side. */
const SETTLED_AT_ONCE = 8;

/**
 * Settles transfers from the chain follower's solidified blocks: one receipts call per block for all of them,
 * instead of receipt queries per transfer, and no read of the transfers either (WatchedTransactions keeps
 * them). Idempotent: the tracker's settle is guarded by status and txid, so
 * a block seen twice (a restart mid-block, two instances) settles each transfer once.
 */
@Injectable()
export class SettleFromBlocks implements BlockSubscriber, OnModuleInit {
  constructor(
    private readonly follower: ChainFollower,
    private readonly tracker: TrackOnChain,
    private readonly watched: WatchedTransactions,
  ) {}

  onModuleInit(): void {
    this.follower.subscribe(this);
  }

  /**
   * The block's transfers are settled side by side (each is its own guarded update): one after another, a
   * block holding more payouts than the database settles in a block interval would put the follower further
   * behind with every block.
   */
  async onSolidifiedBlock(block: SolidifiedBlock): Promise<void> {
    const heads = this.follower.latestHeads();
    const ours = block.receipts.flatMap((receipt) => {
      const transfer = this.watched.transferOf(receipt.txid);
      return transfer ? [{ receipt, transfer }] : [];
    });
    await forEachIndex(ours.length, SETTLED_AT_ONCE, async (index) => {
      const { receipt, transfer } = ours[index];
      const confirmations = heads ? Math.max(1, heads.head.number - receipt.blockNumber + 1) : 1;
      await this.tracker.settle(transfer, receipt, confirmations);
    });
    this.watched.forgetOld();
  }
}
