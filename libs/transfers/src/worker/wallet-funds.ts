import { Injectable } from '@nestjs/common';
import { utils } from 'tronweb';

import { ChainFollower, EnergyEstimate, TronClient } from '@app/tron';

/** Heads older than this are not trusted as "the current block": reads go to the node every time then. */
const FRESH_HEADS_MS = 10_000;

export interface WalletBalances {
  usdtRaw: bigint;
  trxSun: bigint;
  /**
   * the block the balances reflect at least: the one the node read them at (through a Multicall), or else the
   * follower's head when the read started (absent: unknown)
   */
  atBlock?: number;
}

/**
 * Reads of the current block, by address. Everything is dropped when the block changes, so the map holds only
 * the addresses asked about within one block (the balance route serves any address, not only our wallets).
 */
class CurrentBlockReads<T> {
  private block = -1;
  private readonly reads = new Map<string, Promise<T>>();

  get(address: string, block: number, read: () => Promise<T>): Promise<T> {
    if (block !== this.block) {
      this.reads.clear();
      this.block = block;
    }
    const cached = this.reads.get(address);
    if (cached) return cached;
    const value = read();
    this.reads.set(address, value);
    // A failed read is not kept: the next caller asks again.
    value.catch(() => {
      if (this.reads.get(address) === value) this.reads.delete(address);
    });
    return value;
  }
}

/**
 * What the pre-signing checks need to know about a hot wallet, read once per block for all its payouts
 * instead of once per payout: its USDT and TRX balances, and the worst-case fee of a transfer from it (a dry
 * run to an address that has never held USDT, the most expensive case). Balances come with the block they
 * reflect (`atBlock`): the block the node answered them from, through a Multicall (both balances in one call),
 * or else the follower's head when the read started (then a node behind the follower would pass older
 * balances off as that block's). The outflow ledger holds every payout signed since against them, and accepts
 * them only if no hold was given back for a later block.
 *
 * `GET /balance/:address` reads through the same cache, so repeated reads of an address within a block cost
 * no node call.
 *
 * Without the chain follower's fresh heads there is no block to key on: each call reads the node.
 */
@Injectable()
export class WalletFunds {
  private readonly balances = new CurrentBlockReads<WalletBalances>();
  private readonly worstCase = new CurrentBlockReads<EnergyEstimate>();

  constructor(
    private readonly tron: TronClient,
    private readonly follower: ChainFollower,
  ) {}

  balancesOf(wallet: string): Promise<WalletBalances> {
    return this.perBlock(this.balances, wallet, async (followerHead) => {
      const { usdtRaw, trxSun, block } = await this.tron.balancesAt(wallet);
      // The block the node says it read them at, when it can say (through a Multicall): a node that lags the
      // follower (a fallback host) then gives an older block, which the outflow ledger refuses as stale.
      const atBlock = block ?? followerHead;
      return { usdtRaw, trxSun, ...(atBlock !== undefined && { atBlock }) };
    });
  }

  /**
   * The energy and fee of a 1-unit transfer from `wallet` to a brand-new address, as the node's dry run
   * gives them now (dynamic energy included). `reverted` when the wallet cannot send at all (paused token,
   * blacklisted or empty wallet): the caller then checks the payout on its own to say why.
   */
  worstCaseTransferFee(wallet: string): Promise<EnergyEstimate> {
    return this.perBlock(this.worstCase, wallet, () =>
      this.tron.estimateEnergy({
        from: wallet,
        method: 'transfer',
        counterparty: utils.accounts.generateAccount().address.base58,
        amountRaw: 1n,
      }),
    );
  }

  private perBlock<T>(
    cache: CurrentBlockReads<T>,
    address: string,
    read: (atBlock?: number) => Promise<T>,
  ): Promise<T> {
    const heads = this.follower.latestHeads();
    if (!heads || Date.now() - heads.readAt > FRESH_HEADS_MS) return read();
    const block = heads.head.number;
    return cache.get(address, block, () => read(block));
  }
}
