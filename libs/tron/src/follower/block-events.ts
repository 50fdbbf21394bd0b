import type { BlockRef, ChainBlock, TransactionReceipt } from '../client/tron.types';

/** A solidified (irreversible) block with every receipt in it. */
export interface SolidifiedBlock {
  number: number;
  timestamp: number;
  receipts: TransactionReceipt[];
}

/**
 * What a lib does with each block, once. Both calls may come again for a block after a crash (the cursor is
 * stored only after they resolve) and on every instance, so they must be idempotent: guarded updates, not
 * increments.
 */
export interface BlockSubscriber {
  /** A new block at the head of the chain: not final, but it shows which transactions were included. */
  onHeadBlock?(block: ChainBlock): Promise<void>;
  /** A newly solidified block: its receipts are final. */
  onSolidifiedBlock?(block: SolidifiedBlock): Promise<void>;
}

/** The two heads the follower last read, for local transaction building (TAPOS) and confirmation counts. */
export interface FollowedHeads {
  head: BlockRef;
  solidified: BlockRef;
  /** when they were read (ms) */
  readAt: number;
}
