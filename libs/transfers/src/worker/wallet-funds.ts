import { Injectable } from '@nestjs/common';
import { utils } from 'tronweb';

import { ChainFollower, EnergyEstimate, TronClient } from '@app/tron';

/** Heads older than this are not trusted as "the current block": reads go to the node every time then. */
const FRESH_HEADS_MS = 10_000;

export interface WalletBalances {
  usdtRaw: bigint;
  trxSun: bigint;
  /** the follower's head when the read started: the balances reflect at least this block (absent: unknown) */
  atBlock?: number;
}

interface PerBlock<T> {
  block: number;
  value: Promise<T>;
}

/**
 * What the pre-signing checks need to know about a hot wallet, read once per block for all its payouts
 * instead of once per payout: its USDT and TRX balances, and the worst-case fee of a transfer from it (a dry
 * run to an address that has never held USDT, the most expensive case). A balance read while the follower's
 * head is N reflects every transaction up to N at least; the caller counts ours that are not settled as in
 * flight, less those it knows a block up to N included (`atBlock`), so what is free is never overstated.
 *
 * Without the chain follower's fresh heads there is no block to key on: each call reads the node.
 */
@Injectable()
export class WalletFunds {
  private readonly balances = new Map<string, PerBlock<WalletBalances>>();
  private readonly worstCase = new Map<string, PerBlock<EnergyEstimate>>();

  constructor(
    private readonly tron: TronClient,
    private readonly follower: ChainFollower,
  ) {}

  balancesOf(wallet: string): Promise<WalletBalances> {
    return this.perBlock(this.balances, wallet, async (atBlock) => {
      const [usdtRaw, trxSun] = await Promise.all([
        this.tron.usdtBalance(wallet),
        this.tron.trxBalance(wallet),
      ]);
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
    cache: Map<string, PerBlock<T>>,
    wallet: string,
    read: (atBlock?: number) => Promise<T>,
  ): Promise<T> {
    const heads = this.follower.latestHeads();
    if (!heads || Date.now() - heads.readAt > FRESH_HEADS_MS) return read();
    const block = heads.head.number;
    const cached = cache.get(wallet);
    if (cached && cached.block === block) return cached.value;
    const value = read(block);
    cache.set(wallet, { block, value });
    // A failed read is not kept: the next payout asks again.
    value.catch(() => {
      if (cache.get(wallet)?.value === value) cache.delete(wallet);
    });
    return value;
  }
}
