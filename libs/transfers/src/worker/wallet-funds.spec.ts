import type { ChainFollower, FollowedHeads, TronClient } from '@app/tron';

import { WalletFunds } from './wallet-funds';

describe('WalletFunds', () => {
  let heads: FollowedHeads | undefined;
  let reads: number;
  let failNext: boolean;
  /** The block a Multicall would say the balances are from; undefined: no Multicall configured. */
  let nodeBlock: number | undefined;
  const tron = {
    balancesAt: () => {
      reads++;
      if (failNext) {
        failNext = false;
        return Promise.reject(new Error('node away'));
      }
      return Promise.resolve({ usdtRaw: 5_000_000n, trxSun: 100_000_000n, block: nodeBlock });
    },
  } as unknown as TronClient;
  const follower = { latestHeads: () => heads } as unknown as ChainFollower;
  const at = (number: number, readAt = Date.now()): FollowedHeads => ({
    head: { number, id: '0'.repeat(64), timestamp: 0 },
    solidified: { number: number - 19, id: '0'.repeat(64), timestamp: 0 },
    readAt,
  });

  beforeEach(() => {
    reads = 0;
    failNext = false;
    nodeBlock = undefined;
  });

  it('reads a wallet once per block for all its payouts, and again at the next block', async () => {
    const funds = new WalletFunds(tron, follower);
    heads = at(100);
    const all = await Promise.all([1, 2, 3].map(() => funds.balancesOf('TWallet')));
    expect(all).toEqual([1, 2, 3].map(() => ({ usdtRaw: 5_000_000n, trxSun: 100_000_000n, atBlock: 100 })));
    expect(reads).toBe(1);
    heads = at(101);
    await funds.balancesOf('TWallet');
    expect(reads).toBe(2);
  });

  it('asks the node every time without fresh heads, and does not keep a failed read', async () => {
    const funds = new WalletFunds(tron, follower);
    heads = at(100, Date.now() - 60_000);
    expect((await funds.balancesOf('TWallet')).atBlock).toBeUndefined();
    await funds.balancesOf('TWallet');
    expect(reads).toBe(2);

    heads = at(200);
    failNext = true;
    await expect(funds.balancesOf('TWallet')).rejects.toThrow('node away');
    await funds.balancesOf('TWallet');
    expect(reads).toBe(4);
  });

  it('keeps each address of the current block apart', async () => {
    const funds = new WalletFunds(tron, follower);
    heads = at(300);
    await Promise.all(['TA', 'TB', 'TA', 'TB'].map((address) => funds.balancesOf(address)));
    expect(reads).toBe(2);
  });

  it('gives the block the node read the balances at when it says so, even behind the follower', async () => {
    const funds = new WalletFunds(tron, follower);
    heads = at(400);
    nodeBlock = 398; // a lagging host: the outflow ledger must see that these are not block 400's
    expect(await funds.balancesOf('TWallet')).toEqual({
      usdtRaw: 5_000_000n,
      trxSun: 100_000_000n,
      atBlock: 398,
    });
    heads = at(401, Date.now() - 60_000);
    nodeBlock = 402;
    expect((await funds.balancesOf('TWallet')).atBlock).toBe(402);
  });
});
