import type { ConfigService } from '@nestjs/config';

import type { AllConfig } from '@app/config';

import type { TronClient } from '../client/tron-client';
import type { BlockRef, ChainBlock, TransactionReceipt } from '../client/tron.types';
import type { SolidifiedBlock } from './block-events';
import { ChainFollower } from './chain-follower';
import type { ChainCursorStore, FollowerSide } from './cursor.store';

/** A chain of blocks where every third one holds a transaction; heads are set by the test. */
class FakeChain {
  head = 10;
  solidified = 8;
  readonly calls: string[] = [];

  ref(number: number): BlockRef {
    return { number, id: number.toString(16).padStart(64, '0'), timestamp: number * 3000 };
  }

  block(number: number): ChainBlock {
    const transactions =
      number % 3 === 0 ? [{ txid: `tx${number}`, ownerAddress: 'T', contractType: 'x' }] : [];
    return { ...this.ref(number), parentId: '', transactions };
  }

  asClient(): TronClient {
    return {
      head: () => Promise.resolve(this.ref(this.head)),
      solidifiedHead: () => Promise.resolve(this.ref(this.solidified)),
      blockRange: (from: number, to: number) => {
        this.calls.push(`range ${from}-${to}`);
        const blocks: ChainBlock[] = [];
        for (let n = from; n < Math.min(to, this.head + 1); n++) blocks.push(this.block(n));
        return Promise.resolve(blocks);
      },
      solidifiedBlockReceipts: (n: number) => {
        this.calls.push(`receipts ${n}`);
        const receipts = this.block(n).transactions.map(
          (t) => ({ txid: t.txid, blockNumber: n, blockTimestamp: n * 3000 }) as TransactionReceipt,
        );
        return Promise.resolve(receipts);
      },
    } as unknown as TronClient;
  }
}

class FakeCursors {
  readonly stored: Partial<Record<FollowerSide, number>> = {};
  writes = 0;
  read(side: FollowerSide): Promise<number | undefined> {
    return Promise.resolve(this.stored[side]);
  }
  advance(side: FollowerSide, number: number): Promise<void> {
    this.writes++;
    this.stored[side] = Math.max(this.stored[side] ?? -1, number);
    return Promise.resolve();
  }
}

const config = {
  getOrThrow: () => ({ workerEnabled: false, pollIntervalMs: 1000 }),
} as unknown as ConfigService<AllConfig, true>;

function follower(chain: FakeChain, cursors: FakeCursors) {
  const f = new ChainFollower(chain.asClient(), cursors as unknown as ChainCursorStore, config);
  const head: number[] = [];
  const solid: SolidifiedBlock[] = [];
  f.subscribe({
    onHeadBlock: (b) => Promise.resolve(void head.push(b.number)),
    onSolidifiedBlock: (b) => Promise.resolve(void solid.push(b)),
  });
  return { f, head, solid };
}

describe('ChainFollower', () => {
  it('starts at the current blocks on its first run ever, then publishes each new block once, in order', async () => {
    const chain = new FakeChain();
    const cursors = new FakeCursors();
    const { f, head, solid } = follower(chain, cursors);

    await f.tick();
    expect(head).toEqual([10]);
    expect(solid.map((b) => b.number)).toEqual([8]);

    chain.head = 14;
    chain.solidified = 12;
    await f.tick();
    expect(head).toEqual([10, 11, 12, 13, 14]);
    expect(solid.map((b) => b.number)).toEqual([8, 9, 10, 11, 12]);
    expect(solid.find((b) => b.number === 9)?.receipts.map((r) => r.txid)).toEqual(['tx9']);
    expect(f.latestHeads()).toMatchObject({ head: { number: 14 }, solidified: { number: 12 } });
  });

  it('asks for the receipts only of blocks the head side did not see empty', async () => {
    const chain = new FakeChain();
    const { f } = follower(chain, new FakeCursors());
    await f.tick(); // head 10 seen (empty); solidified 8 was never seen: asked
    chain.head = 14;
    chain.solidified = 12;
    await f.tick();
    const receipts = chain.calls.filter((c) => c.startsWith('receipts'));
    // 9 was never seen by the head side (the follower started at 10), 12 holds a transaction
    expect(receipts).toEqual(['receipts 8', 'receipts 9', 'receipts 12']);
  });

  it('stores each cursor at most every few seconds, and at shutdown; a restart resumes after it', async () => {
    const chain = new FakeChain();
    const cursors = new FakeCursors();
    const first = follower(chain, cursors);
    await first.f.tick();
    expect(cursors.stored).toEqual({ head: 10, solidified: 8 });
    for (let i = 0; i < 5; i++) {
      chain.head++;
      chain.solidified++;
      await first.f.tick();
    }
    expect(cursors.writes).toBe(2); // not once per block
    await first.f.onModuleDestroy();
    expect(cursors.stored).toEqual({ head: 15, solidified: 13 });

    chain.head = 17;
    chain.solidified = 15;
    const second = follower(chain, cursors);
    await second.f.tick();
    expect(second.head).toEqual([16, 17]);
    expect(second.solid.map((b) => b.number)).toEqual([14, 15]);
  });

  it('does not store a cursor past a block its subscribers failed on; that block comes again', async () => {
    const chain = new FakeChain();
    const cursors = new FakeCursors();
    const f = new ChainFollower(chain.asClient(), cursors as unknown as ChainCursorStore, config);
    const seen: number[] = [];
    let failOn: number | undefined = 12;
    f.subscribe({
      onSolidifiedBlock: (b) => {
        if (b.number === failOn) return Promise.reject(new Error('database away'));
        seen.push(b.number);
        return Promise.resolve();
      },
    });
    await f.tick();
    chain.head = 14;
    chain.solidified = 13;
    await expect(f.tick()).rejects.toThrow('database away');
    failOn = undefined;
    await f.tick();
    expect(seen).toEqual([8, 9, 10, 11, 12, 13]);
  });
});
