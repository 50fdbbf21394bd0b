import { Injectable, OnModuleInit } from '@nestjs/common';

import { BlockSubscriber, ChainBlock, ChainFollower, SolidifiedBlock } from '@app/tron';

import { TransferRepository } from '../persistence/transfer.repository';
import { TrackOnChain } from './track-on-chain';
import { WatchedTransactions } from './watched-transactions';

/**
 * Settles transfers from the chain follower's solidified blocks: one receipts call per block for all of them,
 * instead of receipt queries per transfer. Idempotent: the tracker's settle is guarded by status and txid, so
 * a block seen twice (a restart mid-block, two instances) settles each transfer once.
 */
@Injectable()
export class SettleFromBlocks implements BlockSubscriber, OnModuleInit {
  constructor(
    private readonly follower: ChainFollower,
    private readonly transfers: TransferRepository,
    private readonly tracker: TrackOnChain,
    private readonly watched: WatchedTransactions,
  ) {}

  onModuleInit(): void {
    this.follower.subscribe(this);
  }

  /** Notes which watched transactions a head block included (see WatchedTransactions.includedBy). */
  onHeadBlock(block: ChainBlock): Promise<void> {
    for (const tx of block.transactions) this.watched.included(tx.txid, block.number);
    return Promise.resolve();
  }

  async onSolidifiedBlock(block: SolidifiedBlock): Promise<void> {
    const heads = this.follower.latestHeads();
    for (const receipt of block.receipts) {
      const transferId = this.watched.transferOf(receipt.txid);
      if (!transferId) continue;
      const transfer = await this.transfers.findById(transferId);
      if (transfer?.tx?.txid === receipt.txid && ['signed', 'broadcast'].includes(transfer.status)) {
        const confirmations = heads ? Math.max(1, heads.head.number - receipt.blockNumber + 1) : 1;
        await this.tracker.settle(transfer, receipt, confirmations);
      } else {
        this.watched.forget(receipt.txid);
      }
    }
    this.watched.forgetOld();
  }
}
