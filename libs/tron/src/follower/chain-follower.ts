import { Injectable, Logger, OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { IntervalTask } from '@app/common';
import { AllConfig } from '@app/config';

import { TronClient } from '../client/tron-client';
import type { BlockRef, ChainBlock } from '../client/tron.types';
import type { BlockSubscriber, FollowedHeads } from './block-events';
import { ChainCursorStore, FollowerSide } from './cursor.store';

/** Blocks the head side remembers as empty, so the solidified side skips their receipts call. */
const REMEMBERED_BLOCKS = 4096;
/** A longer gap (an hour of mainnet blocks) is skipped rather than read block by block. */
const MAX_CATCH_UP_BLOCKS = 1200;
/**
 * A side's cursor is stored at most this often (and at shutdown), not once per block: the subscribers are
 * idempotent, so a crash costs at most this much of the chain read again, and the database is not written
 * several times a second by every instance for blocks that hold nothing of ours.
 */
const CURSOR_SAVE_MS = 5000;

/**
 * Reads the chain block by block, once for everyone, and publishes each block to the subscribers (transfers
 * settle from it; deposits will find incoming USDT in the same stream). Node calls grow with blocks, not with
 * payouts: per tick two head reads, one call per 100 new blocks (TronClient.blockRange), one receipts call per solidified block that
 * held any transaction.
 *
 * Every instance follows (no leader lease): the subscribers' work is idempotent (guarded updates), so two
 * instances processing the same block settle each transfer once, and no failover delay exists when one dies.
 * Each side's cursor is stored only after the subscribers finished the block (every few seconds, see
 * CURSOR_SAVE_MS), and moves forward only, so a restart resumes after a finished block with no gap; the
 * blocks since the last save are processed again.
 */
@Injectable()
export class ChainFollower implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(ChainFollower.name);
  private readonly subscribers: BlockSubscriber[] = [];
  private readonly task: IntervalTask;
  private readonly position: Partial<Record<FollowerSide, number>> = {};
  /** what each side's stored cursor says, and when it was written */
  private readonly saved: Partial<Record<FollowerSide, { number: number; at: number }>> = {};
  /** number -> transaction count, from the head side */
  private readonly seenCounts = new Map<number, number>();
  private heads?: FollowedHeads;
  private readonly enabled: boolean;
  private readonly everyMs: number;

  constructor(
    private readonly tron: TronClient,
    private readonly cursors: ChainCursorStore,
    config: ConfigService<AllConfig, true>,
  ) {
    const transfers = config.getOrThrow('transfers', { infer: true });
    this.enabled = transfers.workerEnabled;
    this.everyMs = Math.min(1000, transfers.pollIntervalMs);
    this.task = new IntervalTask(
      () => this.tick(),
      (err) => this.logger.warn({ err }, 'chain follower tick failed; retrying on the next one'),
    );
  }

  subscribe(subscriber: BlockSubscriber): void {
    this.subscribers.push(subscriber);
  }

  /** The heads as last read, or undefined before the first tick (callers then ask the node themselves). */
  latestHeads(): FollowedHeads | undefined {
    return this.heads;
  }

  onApplicationBootstrap(): void {
    if (this.enabled) this.task.start(this.everyMs);
  }

  // First of the shutdown: the transfers a block settles are announced and audited before the writers flush.
  async onModuleDestroy(): Promise<void> {
    await this.task.stop();
    try {
      for (const side of ['head', 'solidified'] as const) await this.save(side, 0);
    } catch (err) {
      // Not fatal: the next start reads those blocks again.
      this.logger.warn({ err }, 'chain follower could not store its cursors at shutdown');
    }
  }

  /** One pass: read both heads, then publish every new block of each side in order. */
  async tick(): Promise<void> {
    const [head, solidified] = await Promise.all([this.tron.head(), this.tron.solidifiedHead()]);
    this.heads = { head, solidified, readAt: Date.now() };
    await this.followHead(head);
    await this.followSolidified(solidified);
    await this.save('head', CURSOR_SAVE_MS);
    await this.save('solidified', CURSOR_SAVE_MS);
  }

  private async followHead(head: BlockRef): Promise<void> {
    const from = (await this.start('head', head.number)) + 1;
    if (from > head.number) return;
    // blockRange pages by java-tron's limit of 100 blocks per call; the gap is at most MAX_CATCH_UP_BLOCKS.
    for (const block of await this.tron.blockRange(from, head.number + 1)) {
      await this.publishHead(block);
      this.finished('head', block.number);
    }
  }

  private async followSolidified(solidified: BlockRef): Promise<void> {
    for (let n = (await this.start('solidified', solidified.number)) + 1; n <= solidified.number; n++) {
      // A block the head side saw empty has no receipts to ask for.
      const receipts = this.seenCounts.get(n) === 0 ? [] : await this.tron.solidifiedBlockReceipts(n);
      const block = { number: n, timestamp: receipts[0]?.blockTimestamp ?? 0, receipts };
      for (const s of this.subscribers) if (s.onSolidifiedBlock) await s.onSolidifiedBlock(block);
      this.finished('solidified', n);
    }
  }

  private async publishHead(block: ChainBlock): Promise<void> {
    this.seenCounts.set(block.number, block.transactions.length);
    if (this.seenCounts.size > REMEMBERED_BLOCKS) {
      this.seenCounts.delete(this.seenCounts.keys().next().value as number);
    }
    for (const s of this.subscribers) if (s.onHeadBlock) await s.onHeadBlock(block);
  }

  /**
   * The last finished block of a side: this instance's own position, else the stored cursor, else (first run
   * ever) the block before the current one, since there is nothing of ours further back to learn.
   */
  private async start(side: FollowerSide, current: number): Promise<number> {
    if (this.position[side] === undefined) {
      this.position[side] = (await this.cursors.read(side)) ?? current - 1;
    }
    if (current - this.position[side] > MAX_CATCH_UP_BLOCKS) {
      // Down for long: reading every missed block would take thousands of calls. Transfers still in flight
      // from that time are found by the pipeline's own per-transaction check instead.
      this.logger.warn(
        { side, from: this.position[side], to: current },
        'chain follower skipped blocks missed while down; in-flight transfers are checked one by one',
      );
      this.position[side] = current - 1;
    }
    return this.position[side];
  }

  private finished(side: FollowerSide, number: number): void {
    this.position[side] = number;
  }

  /** Stores a side's position if it moved and the last save is at least `minAgeMs` old. */
  private async save(side: FollowerSide, minAgeMs: number): Promise<void> {
    const number = this.position[side];
    const saved = this.saved[side];
    if (number === undefined || saved?.number === number) return;
    if (saved && Date.now() - saved.at < minAgeMs) return;
    await this.cursors.advance(side, number);
    this.saved[side] = { number, at: Date.now() };
  }
}
