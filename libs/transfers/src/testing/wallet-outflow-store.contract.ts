import {
  FundsAtBlock,
  MAX_HOLDS_PER_WALLET,
  OutflowHold,
  WalletOutflowStore,
} from '../persistence/wallet-outflow.store';

export interface OutflowContractSubject {
  store: WalletOutflowStore;
  /** A fresh, empty store for each test. */
  reset(): Promise<void>;
}

const USDT = 1_000_000n;
const TRX = 1_000_000n;
const WALLET = 'TWalletOutflow';

/**
 * What every WalletOutflowStore must do: run on the in-memory one (unit) and on MongoDB through Mongoose on
 * the embedded engine (e2e), so that the money path's unit specs stand on the same guards as the service.
 */
export function walletOutflowStoreContract(subject: () => OutflowContractSubject): void {
  let store: WalletOutflowStore;
  let serial = 0;

  beforeEach(async () => {
    await subject().reset();
    store = subject().store;
    await store.ensure(WALLET);
  });

  const hold = (usdt: bigint, overrides: Partial<OutflowHold> = {}): OutflowHold => {
    serial += 1;
    return {
      transferId: `transfer-${serial}`,
      txid: serial.toString(16).padStart(64, '0'),
      usdtRaw: usdt * USDT,
      feeSun: 13n * TRX,
      expiresAt: new Date(1_700_000_000_000 + serial),
      ...overrides,
    };
  };
  const funds = (usdt: bigint, trx = 1_000n, atBlock = 100): FundsAtBlock => ({
    usdtRaw: usdt * USDT,
    trxSun: trx * TRX,
    atBlock,
  });

  it('holds a payout while the funds cover it beside every other hold, and keeps the sums', async () => {
    expect(await store.tryReserve(WALLET, hold(4n), funds(10n))).toBe(true);
    expect(await store.tryReserve(WALLET, hold(4n), funds(10n))).toBe(true);
    // 8 of 10 USDT held: 3 more do not fit, 2 do exactly
    expect(await store.tryReserve(WALLET, hold(3n), funds(10n))).toBe(false);
    expect(await store.tryReserve(WALLET, hold(2n), funds(10n))).toBe(true);
    const record = await store.find(WALLET);
    expect(record).toMatchObject({ wallet: WALLET, usdtRaw: 10n * USDT, feeSun: 39n * TRX });
    expect(record!.holds.map((h) => h.usdtRaw)).toEqual([4n * USDT, 4n * USDT, 2n * USDT]);
    expect(record!.holds[0].expiresAt).toBeInstanceOf(Date);
  });

  it('holds fees against the TRX balance, an approve moving no USDT', async () => {
    const approve = (fee: bigint) => hold(0n, { feeSun: fee * TRX });
    expect(await store.tryReserve(WALLET, approve(20n), funds(0n, 30n))).toBe(true);
    expect(await store.tryReserve(WALLET, approve(11n), funds(0n, 30n))).toBe(false);
    expect(await store.tryReserve(WALLET, approve(10n), funds(0n, 30n))).toBe(true);
    expect(await store.find(WALLET)).toMatchObject({ usdtRaw: 0n, feeSun: 30n * TRX });
  });

  it('holds one transfer once', async () => {
    const first = hold(1n);
    expect(await store.tryReserve(WALLET, first, funds(10n))).toBe(true);
    expect(await store.tryReserve(WALLET, hold(1n, { transferId: first.transferId }), funds(10n))).toBe(
      false,
    );
    expect((await store.find(WALLET))!.holds).toHaveLength(1);
  });

  it('gives holds back by txid once, and refuses balances older than a block whose holds were given back', async () => {
    const [a, b, c] = [hold(3n), hold(3n), hold(3n)];
    for (const h of [a, b, c]) expect(await store.tryReserve(WALLET, h, funds(10n))).toBe(true);

    expect(await store.tryRelease(WALLET, [a, b], 105)).toBe(true);
    // a second release of the same holds (another instance, the same block again) changes nothing
    expect(await store.tryRelease(WALLET, [a], 105)).toBe(false);
    expect(await store.tryRelease(WALLET, [a, c], 105)).toBe(false);
    expect(await store.find(WALLET)).toMatchObject({
      usdtRaw: 3n * USDT,
      feeSun: 13n * TRX,
      releasedThrough: 105,
      holds: [expect.objectContaining({ txid: c.txid })],
    });

    // balances read at block 104 do not show a and b spent yet
    expect(await store.tryReserve(WALLET, hold(1n), funds(10n, 1_000n, 104))).toBe(false);
    expect(await store.tryReserve(WALLET, hold(1n), funds(10n, 1_000n, 105))).toBe(true);
    // a release with no block (nothing reached the chain) leaves the mark where it is
    expect(await store.tryRelease(WALLET, [c], 0)).toBe(true);
    expect(await store.find(WALLET)).toMatchObject({ usdtRaw: 1n * USDT, releasedThrough: 105 });
  });

  it('lists only the wallets that hold something', async () => {
    await store.ensure('TOtherWallet');
    const only = hold(1n);
    await store.tryReserve(WALLET, only, funds(10n));
    expect((await store.withHolds()).map((r) => r.wallet)).toEqual([WALLET]);
    await store.tryRelease(WALLET, [only], 0);
    expect(await store.withHolds()).toEqual([]);
  });

  it('creates a record once, however often it is ensured', async () => {
    await store.tryReserve(WALLET, hold(1n), funds(10n));
    await Promise.all([store.ensure(WALLET), store.ensure(WALLET)]);
    expect(await store.find(WALLET)).toMatchObject({ usdtRaw: 1n * USDT });
  });

  it('lets exactly as many racing holds through as the funds cover', async () => {
    const results = await Promise.all(
      Array.from({ length: 10 }, () => store.tryReserve(WALLET, hold(3n), funds(10n))),
    );
    expect(results.filter(Boolean)).toHaveLength(3);
    expect(await store.find(WALLET)).toMatchObject({ usdtRaw: 9n * USDT });
  });

  it(`holds at most ${MAX_HOLDS_PER_WALLET} transactions per wallet`, async () => {
    const tiny = (n: number) => hold(0n, { feeSun: 1n, txid: `full-${n}`.padStart(64, '0') });
    for (let n = 0; n < MAX_HOLDS_PER_WALLET; n++) {
      expect(await store.tryReserve(WALLET, tiny(n), funds(0n))).toBe(true);
    }
    expect(await store.tryReserve(WALLET, tiny(MAX_HOLDS_PER_WALLET), funds(0n))).toBe(false);
  });
}
