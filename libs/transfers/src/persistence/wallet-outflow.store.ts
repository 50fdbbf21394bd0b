/** One payout's claim on a hot wallet's funds, from just before its signature until its block is in. */
export interface OutflowHold {
  transferId: string;
  txid: string;
  /** USDT it moves (0 for an approve), base units. */
  usdtRaw: bigint;
  /** Its worst-case fee, sun. */
  feeSun: bigint;
  /** The transaction's expiration: no block after it can include it. */
  expiresAt: Date;
}

/** A hot wallet's committed funds as stored: the holds and their sums. */
export interface WalletOutflow {
  wallet: string;
  usdtRaw: bigint;
  feeSun: bigint;
  /** The highest block whose transactions' holds were given back. */
  releasedThrough: number;
  holds: OutflowHold[];
}

/** Balances read after the chain follower saw block `atBlock`: they show at least that block's transactions. */
export interface FundsAtBlock {
  usdtRaw: bigint;
  trxSun: bigint;
  atBlock: number;
}

/** Holds one wallet may have at once: a bound on the record's size if nothing gives them back (node away). */
export const MAX_HOLDS_PER_WALLET = 1000;

/**
 * Where every instance's holds on a hot wallet's funds live: one record per wallet, changed only by single
 * conditional commands, so that a reservation decided by one instance is seen by all of them at once and two
 * can never both spend the same funds (TRON has no nonce: nothing else orders them).
 */
export abstract class WalletOutflowStore {
  /** Creates the wallet's empty record if it has none; harmless when it exists. */
  abstract ensure(wallet: string): Promise<void>;
  /**
   * Adds the hold in one conditional command, only if the funds cover every hold with it (committed USDT plus
   * its amount within `funds.usdtRaw`, fees likewise within `funds.trxSun`), no hold was given back for a block
   * above `funds.atBlock` (the balances would not show it spent), the transfer holds nothing yet, and the
   * record has room. Returns whether it was added.
   */
  abstract tryReserve(wallet: string, hold: OutflowHold, funds: FundsAtBlock): Promise<boolean>;
  /**
   * Removes these holds (by txid) and their sums in one command, only if every one of them is still there; a
   * later reservation must then use balances of at least `releasedThrough`. Returns whether it applied.
   */
  abstract tryRelease(
    wallet: string,
    holds: readonly OutflowHold[],
    releasedThrough: number,
  ): Promise<boolean>;
  abstract find(wallet: string): Promise<WalletOutflow | null>;
  /** Every wallet's record that holds anything. */
  abstract withHolds(): Promise<WalletOutflow[]>;
}
