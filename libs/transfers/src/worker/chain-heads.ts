import { Injectable } from '@nestjs/common';

import { BlockRef, ChainFollower, TronClient } from '@app/tron';

import { PipelineContext } from './pipeline-context';

export interface Heads {
  head: BlockRef;
  solidified: BlockRef;
}

/** Longest pause before looking at a transaction waiting for solidification again. */
const MAX_SOLIDIFICATION_WAIT_MS = 30_000;

/**
 * When a transaction in `blockNumber` is worth looking at again: about when the solidified head should reach
 * it, at the block pace seen between the two heads, never sooner than `minMs`. Looking every poll instead
 * would cost one claim and one node call per transfer per poll for the whole solidification lag (about a
 * minute on mainnet) and, with many transfers in flight, keep the database busy with nothing but that.
 */
export function untilSolidified(heads: Heads, blockNumber: number, minMs: number): number {
  const blocks = heads.head.number - heads.solidified.number;
  const msPerBlock = blocks > 0 ? (heads.head.timestamp - heads.solidified.timestamp) / blocks : 0;
  const remaining = Math.max(1, blockNumber - heads.solidified.number);
  return Math.min(MAX_SOLIDIFICATION_WAIT_MS, Math.max(minMs, Math.round(remaining * msPerBlock)));
}

/**
 * The chain head and solidified head, shared by every transfer the tracker looks at within one poll interval
 * (at most a second): with many transfers in flight, each would otherwise cost two extra node calls.
 */
@Injectable()
export class ChainHeads {
  private cached?: { at: number; heads: Promise<Heads> };
  private readonly ttlMs: number;

  constructor(
    private readonly tron: TronClient,
    private readonly follower: ChainFollower,
    context: PipelineContext,
  ) {
    this.ttlMs = Math.min(context.settings.pollIntervalMs, 1000);
  }

  get(): Promise<Heads> {
    // The follower reads both heads on every tick already: no second pair of calls while its read is fresh.
    const followed = this.follower.latestHeads();
    if (followed && Date.now() - followed.readAt < this.ttlMs) return Promise.resolve(followed);
    if (this.cached && Date.now() - this.cached.at < this.ttlMs) return this.cached.heads;
    const heads = Promise.all([this.tron.head(), this.tron.solidifiedHead()]).then(([head, solidified]) => ({
      head,
      solidified,
    }));
    this.cached = { at: Date.now(), heads };
    // A failed read must not be served to the next callers.
    heads.catch(() => (this.cached = undefined));
    return heads;
  }
}
