import {
  FundsAtBlock,
  MAX_HOLDS_PER_WALLET,
  OutflowHold,
  WalletOutflow,
  WalletOutflowStore,
} from '../persistence/wallet-outflow.store';

/**
 * The wallet outflow store in memory, for unit specs of the money path. Each write is one synchronous step,
 * as a single-document write is on MongoDB; the shared contract spec holds it to what the Mongoose store does
 * on the embedded engine. Returns copies, never the stored record. Unlike the in-memory transfer repository
 * it does not run the store's commands through mingo: their guards compare bigints, which mingo cannot (it
 * serializes filter values as JSON), so the same rules are written out here.
 */
export class InMemoryWalletOutflowStore extends WalletOutflowStore {
  private readonly records = new Map<string, WalletOutflow>();

  ensure(wallet: string): Promise<void> {
    if (!this.records.has(wallet)) {
      this.records.set(wallet, { wallet, usdtRaw: 0n, feeSun: 0n, releasedThrough: 0, holds: [] });
    }
    return Promise.resolve();
  }

  tryReserve(wallet: string, hold: OutflowHold, funds: FundsAtBlock): Promise<boolean> {
    const record = this.records.get(wallet);
    const fits =
      record !== undefined &&
      record.releasedThrough <= funds.atBlock &&
      record.usdtRaw + hold.usdtRaw <= funds.usdtRaw &&
      record.feeSun + hold.feeSun <= funds.trxSun &&
      !record.holds.some((held) => held.transferId === hold.transferId) &&
      record.holds.length < MAX_HOLDS_PER_WALLET;
    if (fits) {
      record.holds.push({ ...hold });
      record.usdtRaw += hold.usdtRaw;
      record.feeSun += hold.feeSun;
    }
    return Promise.resolve(fits);
  }

  tryRelease(wallet: string, holds: readonly OutflowHold[], releasedThrough: number): Promise<boolean> {
    if (!holds.length) return Promise.resolve(true);
    const record = this.records.get(wallet);
    const txids = new Set(holds.map((hold) => hold.txid));
    const present = record?.holds.filter((held) => txids.has(held.txid)) ?? [];
    if (!record || new Set(present.map((held) => held.txid)).size !== txids.size) {
      return Promise.resolve(false);
    }
    record.holds = record.holds.filter((held) => !txids.has(held.txid));
    for (const hold of holds) {
      record.usdtRaw -= hold.usdtRaw;
      record.feeSun -= hold.feeSun;
    }
    record.releasedThrough = Math.max(record.releasedThrough, releasedThrough);
    return Promise.resolve(true);
  }

  find(wallet: string): Promise<WalletOutflow | null> {
    const record = this.records.get(wallet);
    return Promise.resolve(record ? copy(record) : null);
  }

  withHolds(): Promise<WalletOutflow[]> {
    return Promise.resolve([...this.records.values()].filter((r) => r.holds.length > 0).map(copy));
  }
}

function copy(record: WalletOutflow): WalletOutflow {
  return {
    ...record,
    holds: record.holds.map((hold) => ({ ...hold, expiresAt: new Date(hold.expiresAt.getTime()) })),
  };
}
