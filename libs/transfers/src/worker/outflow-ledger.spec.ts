import type { ChainBlock, ChainFollower } from '@app/tron';

import { OutflowHold } from '../persistence/wallet-outflow.store';
import { InMemoryWalletOutflowStore } from '../testing/in-memory-wallet-outflow.store';
import { OutflowLedger } from './outflow-ledger';

const WALLET = 'TWalletLedger';
const USDT = 1_000_000n;
const FUNDS = { usdtRaw: 10n * USDT, trxSun: 1_000_000_000n, atBlock: 100 };

describe('OutflowLedger: holds on a hot wallet funds, given back by the blocks that include them', () => {
  let store: InMemoryWalletOutflowStore;
  let ledger: OutflowLedger;
  let solidified: { number: number; timestamp: number };
  let serial = 0;

  beforeEach(() => {
    store = new InMemoryWalletOutflowStore();
    solidified = { number: 80, timestamp: 1_000_000 };
    const follower = {
      subscribe: () => undefined,
      latestHeads: () => ({ head: { number: 100 }, solidified, readAt: Date.now() }),
    } as unknown as ChainFollower;
    ledger = new OutflowLedger(store, follower);
  });

  const hold = (usdt: bigint, expiresAt = 2_000_000): OutflowHold => {
    serial += 1;
    return {
      transferId: `t-${serial}`,
      txid: serial.toString(16).padStart(64, '0'),
      usdtRaw: usdt * USDT,
      feeSun: 1n,
      expiresAt: new Date(expiresAt),
    };
  };
  const block = (number: number, txids: string[]) =>
    ({ number, transactions: txids.map((txid) => ({ txid })) }) as unknown as ChainBlock;

  it('says why a hold did not fit: the funds, or balances older than a block already given back', async () => {
    const a = hold(6n);
    expect(await ledger.reserve(WALLET, a, FUNDS)).toEqual({ held: true });
    expect(await ledger.reserve(WALLET, hold(6n), FUNDS)).toEqual({
      held: false,
      reason: 'funds',
      committed: { usdtRaw: 6n * USDT, feeSun: 1n },
    });

    await ledger.onHeadBlock(block(101, [a.txid, 'f'.repeat(64)]));

    expect(await ledger.reserve(WALLET, hold(6n), FUNDS)).toEqual({
      held: false,
      reason: 'stale',
      releasedThrough: 101,
    });
    expect(await ledger.reserve(WALLET, hold(6n), { ...FUNDS, atBlock: 101 })).toEqual({ held: true });
  });

  it('makes the wallet record again if it was removed after this instance made sure of it', async () => {
    expect(await ledger.reserve(WALLET, hold(1n), FUNDS)).toEqual({ held: true });
    store['records'].clear(); // the collection emptied by hand

    expect(await ledger.reserve(WALLET, hold(2n), FUNDS)).toEqual({ held: true });
    expect(await store.find(WALLET)).toMatchObject({ usdtRaw: 2n * USDT });
  });

  it('keeps a hold it cannot give back (the database away) without throwing over the caller', async () => {
    const h = hold(1n);
    await ledger.reserve(WALLET, h, FUNDS);
    store.tryRelease = () => Promise.reject(new Error('database away'));

    await expect(ledger.release(WALLET, h)).resolves.toBeUndefined();
    expect((await store.find(WALLET))?.holds).toHaveLength(1);
  });

  it('gives back what a block includes once, whichever instance sees the block first', async () => {
    const [a, b, c] = [hold(1n), hold(2n), hold(3n)];
    for (const h of [a, b, c]) await ledger.reserve(WALLET, h, FUNDS);
    const otherInstance = new OutflowLedger(store, ledger['follower']);

    await Promise.all([
      ledger.onHeadBlock(block(101, [a.txid, c.txid])),
      otherInstance.onHeadBlock(block(101, [a.txid, c.txid])),
    ]);
    await ledger.onHeadBlock(block(101, [a.txid, c.txid])); // the block again, after a restart

    expect(await store.find(WALLET)).toMatchObject({
      usdtRaw: 2n * USDT,
      feeSun: 1n,
      releasedThrough: 101,
      holds: [expect.objectContaining({ txid: b.txid })],
    });
    // What the gauges show: what is left after the block.
    expect(ledger.heldByWallet()).toEqual([{ wallet: WALLET, holds: 1, usdtRaw: 2n * USDT }]);
  });

  it('gives back, every few blocks, holds whose transaction expired before the solidified head unseen', async () => {
    const expired = hold(4n, 999_999);
    const live = hold(4n, 1_000_001);
    await ledger.reserve(WALLET, expired, FUNDS);
    await ledger.reserve(WALLET, live, FUNDS);

    await ledger.onHeadBlock(block(101, [])); // an empty block between sweeps reads nothing
    expect((await store.find(WALLET))?.holds).toHaveLength(2);

    await ledger.onHeadBlock(block(110, []));
    expect(await store.find(WALLET)).toMatchObject({
      usdtRaw: 4n * USDT,
      releasedThrough: 80,
      holds: [expect.objectContaining({ txid: live.txid })],
    });
    expect(ledger.heldByWallet()).toEqual([{ wallet: WALLET, holds: 1, usdtRaw: 4n * USDT }]);
  });
});
