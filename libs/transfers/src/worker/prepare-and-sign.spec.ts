import type { ConfigService } from '@nestjs/config';

import { AppError, ErrorCode } from '@app/common';
import type { AllConfig } from '@app/config';
import type { BroadcastOutcome, ChainFollower, EnergyEstimate, TronClient } from '@app/tron';
import type { WalletSigner } from '@app/wallets';

import { Transfer, TransferStatus } from '../domain/transfer';
import { TransferTransitions } from '../persistence/transfer-transitions';
import { OutgoingGate, TransferPolicy } from '../policy/transfer-policy';
import { InMemoryTransferRepository } from '../testing/in-memory-transfer.repository';
import { InMemoryWalletOutflowStore } from '../testing/in-memory-wallet-outflow.store';
import { BroadcastSigned } from './broadcast-signed';
import { DisabledWalletsHint } from './disabled-wallets-hint';
import { OutflowLedger } from './outflow-ledger';
import { PipelineContext } from './pipeline-context';
import { PrepareAndSign } from './prepare-and-sign';
import { TransferEvents } from './transfer-events';
import { WalletBalances, WalletFunds } from './wallet-funds';
import { WatchedTransactions } from './watched-transactions';

const WALLET = 'TWalletAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const USDT = 1_000_000n;
const TRX = 1_000_000n;
const FEE = 13_000_000n; // a transfer's worst-case fee, sun
const WORKER = 'worker-under-test';

/** The chain as signing sees it: one wallet's balances, a fee estimate, dry runs, and what was broadcast. */
class FakeChain {
  balances: WalletBalances = { usdtRaw: 10n * USDT, trxSun: 100n * TRX, atBlock: 100 };
  worstCase: EnergyEstimate = { energy: 64_285n, feeSun: FEE, reverted: false };
  dryRun: EnergyEstimate = { energy: 30_000n, feeSun: 6_000_000n, reverted: false };
  paused = false;
  blacklisted = new Set<string>();
  readonly broadcasts: string[] = [];
  readonly nodeCalls: string[] = [];
  /** Called at each broadcast with the txid, to look at the store at that moment. */
  onBroadcast: (txid: string) => void = () => undefined;
  private built = 0;

  // WalletFunds
  balancesOf = () => Promise.resolve({ ...this.balances });
  worstCaseTransferFee = () => Promise.resolve(this.worstCase);
  // TronClient
  buildTrc20CallLocally = () => {
    this.built += 1;
    const txID = this.built.toString(16).padStart(64, '0');
    return Promise.resolve({ txID, raw_data_hex: 'ab', raw_data: {}, expiration: Date.now() + 60_000 });
  };
  estimateEnergy = () => {
    this.nodeCalls.push('estimateEnergy');
    return Promise.resolve(this.dryRun);
  };
  isPaused = () => Promise.resolve(this.paused);
  isBlacklisted = (address: string) => Promise.resolve(this.blacklisted.has(address));
  broadcast = (signed: { txID: string }): Promise<BroadcastOutcome> => {
    this.onBroadcast(signed.txID);
    this.broadcasts.push(signed.txID);
    return Promise.resolve({ accepted: true, txid: signed.txID, duplicate: false });
  };
  // ChainFollower
  headNumber = 100;
  latestHeads = () => ({
    head: { number: this.headNumber, id: 'head', timestamp: Date.now() },
    solidified: { number: 81, id: 'solid', timestamp: Date.now() - 57_000 },
    readAt: Date.now(),
  });
}

describe('PrepareAndSign: whether a payout can be signed now (in-memory transfers, a fake chain)', () => {
  let chain: FakeChain;
  let transfers: InMemoryTransferRepository;
  let outflow: InMemoryWalletOutflowStore;
  let prepare: PrepareAndSign;
  /** Another instance: its own pipeline on the same transfers, outflow store and chain. */
  let otherInstance: PrepareAndSign;
  let released: string[];
  let disabled: string[];
  let serial = 0;

  beforeEach(() => {
    chain = new FakeChain();
    transfers = new InMemoryTransferRepository();
    outflow = new InMemoryWalletOutflowStore();
    released = [];
    disabled = [];
    const settings = {
      pollIntervalMs: 500,
      retryDelayMs: 1_000,
      fundsRecheckMs: 2_000,
      maxWaitMs: 0,
      feeLimitSun: 30_000_000n,
    };
    const context = new PipelineContext({ getOrThrow: () => settings } as unknown as ConfigService<
      AllConfig,
      true
    >);
    Object.defineProperty(context, 'workerId', { value: WORKER });
    const events = { moved: () => undefined } as unknown as TransferEvents;
    const transitions = new TransferTransitions(transfers, events);
    const gate = { assertOpen: () => Promise.resolve() } as unknown as OutgoingGate;
    const policy = {
      released: (t: Transfer) => Promise.resolve(void released.push(t.id)),
    } as unknown as TransferPolicy;
    const signer = {
      sign: (_: string, unsigned: object) => Promise.resolve({ ...unsigned, signature: ['signature'] }),
    } as unknown as WalletSigner;
    const hint = { addresses: () => Promise.resolve(disabled) } as unknown as DisabledWalletsHint;
    const tron = chain as unknown as TronClient;
    const follower = chain as unknown as ChainFollower;
    const instance = () => {
      const broadcaster = new BroadcastSigned(transitions, tron, gate, context, follower);
      return new PrepareAndSign(
        transitions,
        tron,
        signer,
        gate,
        policy,
        broadcaster,
        context,
        hint,
        follower,
        new WatchedTransactions(),
        chain as unknown as WalletFunds,
        new OutflowLedger(outflow, follower),
      );
    };
    prepare = instance();
    otherInstance = instance();
  });

  /** An approved payout, claimed by the worker as the loop would. */
  async function claimedPayout(usdt: bigint, to = 'TPayee'): Promise<Transfer> {
    serial += 1;
    const id = `payout-${serial}`;
    await transfers.insert({
      id,
      kind: 'transfer',
      status: 'approved',
      wallet: WALLET,
      to,
      amountRaw: usdt * USDT,
      internal: false,
      requestedBy: 'operator-1',
      idempotencyKey: `key-${id}`,
      requestHash: 'hash',
    });
    const claimed = await transfers.update(
      id,
      {},
      { set: { lockedBy: WORKER, lockedUntil: new Date(Date.now() + 60_000) } },
    );
    return claimed!;
  }

  const statuses = async (): Promise<Record<string, number>> => {
    const counts: Record<string, number> = {};
    for (const t of transfers.all()) {
      const key = t.waiting ? `${t.status} (${t.waiting.code})` : t.status;
      counts[key] = (counts[key] ?? 0) + 1;
    }
    return Promise.resolve(counts);
  };

  it('signs exactly as many of ten racing 3 USDT payouts as 10 USDT pays for; the rest wait, none fails', async () => {
    const payouts = await Promise.all(Array.from({ length: 10 }, () => claimedPayout(3n)));

    await Promise.all(payouts.map((p) => prepare.run(p)));

    expect(await statuses()).toEqual({ broadcast: 3, [`approved (${ErrorCode.INSUFFICIENT_USDT})`]: 7 });
    expect(chain.broadcasts).toHaveLength(3);
  });

  it('lets two instances sign for one wallet at once without spending the same funds twice', async () => {
    const payouts = await Promise.all(Array.from({ length: 10 }, () => claimedPayout(3n)));

    await Promise.all(payouts.map((p, i) => (i % 2 ? otherInstance : prepare).run(p)));

    expect(await statuses()).toEqual({ broadcast: 3, [`approved (${ErrorCode.INSUFFICIENT_USDT})`]: 7 });
    expect(await outflow.find(WALLET)).toMatchObject({ usdtRaw: 9n * USDT, feeSun: 3n * FEE });
  });

  it('keeps the funds held when it cannot tell whether the signed transfer was stored', async () => {
    const unknown = await claimedPayout(8n);
    const markSigned = transfers.transition.bind(transfers);
    transfers.transition = () => Promise.reject(new AppError(ErrorCode.DATABASE_UNAVAILABLE, 'no answer'));
    await prepare.run(unknown);
    transfers.transition = markSigned;

    const next = await claimedPayout(3n);
    await prepare.run(next);

    expect((await transfers.findById(next.id))?.waiting?.code).toBe(ErrorCode.INSUFFICIENT_USDT);
    expect((await outflow.find(WALLET))?.holds.map((h) => h.transferId)).toEqual([unknown.id]);
  });

  it('gives the funds back when the signature is refused', async () => {
    const refused = await claimedPayout(8n);
    const sign = prepare['signer'].sign.bind(prepare['signer']);
    prepare['signer'].sign = () => Promise.reject(new AppError(ErrorCode.SIGNING_FAILED));
    await prepare.run(refused);
    prepare['signer'].sign = sign;

    expect((await transfers.findById(refused.id))?.lastError?.code).toBe(ErrorCode.SIGNING_FAILED);
    expect(await outflow.find(WALLET)).toMatchObject({ usdtRaw: 0n, holds: [] });
  });

  it('replaces the hold a crashed attempt left for the same transfer instead of counting it twice', async () => {
    const payout = await claimedPayout(8n);
    await outflow.ensure(WALLET);
    const stale = {
      transferId: payout.id,
      txid: 'f'.repeat(64),
      usdtRaw: 8n * USDT,
      feeSun: FEE,
      expiresAt: new Date(Date.now() + 60_000),
    };
    expect(await outflow.tryReserve(WALLET, stale, { ...chain.balances, atBlock: 100 })).toBe(true);

    await prepare.run(payout);

    const sent = (await transfers.findById(payout.id))!;
    expect(sent.status).toBe('broadcast');
    expect((await outflow.find(WALLET))?.holds.map((h) => h.txid)).toEqual([sent.tx!.txid]);
  });

  it('looks again soon, without a waiting note, at balances older than a block whose holds were given back', async () => {
    await outflow.ensure(WALLET);
    const spent = {
      transferId: 'elsewhere',
      txid: 'e'.repeat(64),
      usdtRaw: 1n * USDT,
      feeSun: FEE,
      expiresAt: new Date(Date.now() + 60_000),
    };
    await outflow.tryReserve(WALLET, spent, { ...chain.balances, atBlock: 100 });
    await outflow.tryRelease(WALLET, [spent], 101); // another instance saw block 101 include it
    const payout = await claimedPayout(1n);

    await prepare.run(payout);

    const after = (await transfers.findById(payout.id))!;
    expect(after.status).toBe('approved');
    expect(after.waiting).toBeUndefined();
    expect(after.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now() + 500);
    expect(chain.broadcasts).toEqual([]);

    // Once the balances are of block 101, it signs.
    chain.balances = { ...chain.balances, atBlock: 101 };
    chain.headNumber = 101;
    const claimed = await transfers.update(
      payout.id,
      {},
      { set: { lockedBy: WORKER, lockedUntil: new Date(Date.now() + 60_000) } },
    );
    await prepare.run(claimed!);
    expect((await transfers.findById(payout.id))?.status).toBe('broadcast');
  });

  it('counts what is already signed and unsettled in the store as spent', async () => {
    const earlier = await claimedPayout(8n);
    await prepare.run(earlier);
    const next = await claimedPayout(3n);

    await prepare.run(next);

    const waiting = (await transfers.findById(next.id))!;
    expect(waiting.status).toBe('approved');
    expect(waiting.waiting).toMatchObject({
      code: ErrorCode.INSUFFICIENT_USDT,
      message: 'hot wallet holds 10 USDT with 8 committed to transfers in flight; this transfer needs 3',
    });
    expect(waiting.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 1_000);
  });

  it('waits for TRX when the fees in flight leave too little for one more worst-case fee', async () => {
    chain.balances = { ...chain.balances, trxSun: 2n * FEE + FEE / 2n };
    const payouts = await Promise.all([claimedPayout(1n), claimedPayout(1n), claimedPayout(1n)]);

    for (const p of payouts) await prepare.run(p);

    expect(await statuses()).toEqual({
      broadcast: 2,
      [`approved (${ErrorCode.INSUFFICIENT_FEE_RESOURCES})`]: 1,
    });
  });

  it('stores the signed bytes before their first broadcast, with the fee estimate they were checked against', async () => {
    const payout = await claimedPayout(1n);
    let atBroadcast: { status: TransferStatus; txid?: string } | undefined;
    chain.onBroadcast = (txid) => {
      const seen = transfers.all().find((t) => t.id === payout.id)!;
      atBroadcast = { status: seen.status, txid: seen.tx?.txid };
      expect(seen.tx?.txid).toBe(txid);
    };

    await prepare.run(payout);

    expect(atBroadcast?.status).toBe('signed');
    const sent = (await transfers.findById(payout.id))!;
    expect(sent).toMatchObject({ status: 'broadcast', estimatedFeeSun: FEE, estimatedEnergy: 64_285n });
    expect(chain.nodeCalls).toEqual([]); // the shared worst-case estimate, no dry run of its own
  });

  it('fails before signing when the dry run says the payee is blacklisted, and gives its limits back', async () => {
    chain.worstCase = { ...chain.worstCase, reverted: true };
    chain.dryRun = { energy: 0n, feeSun: 0n, reverted: true, message: 'REVERT opcode executed' };
    chain.blacklisted.add('TBlacklisted');
    const payout = await claimedPayout(1n, 'TBlacklisted');

    await prepare.run(payout);

    const failed = (await transfers.findById(payout.id))!;
    expect(failed.status).toBe('failed');
    expect(failed.failure).toMatchObject({
      code: ErrorCode.ADDRESS_BLACKLISTED,
      message: 'the counterparty is blacklisted by the token',
    });
    expect(failed.tx).toBeUndefined();
    expect(released).toEqual([payout.id]);
    expect(chain.broadcasts).toEqual([]);
  });

  it('waits, not fails, while the token is paused', async () => {
    chain.worstCase = { ...chain.worstCase, reverted: true };
    chain.dryRun = { energy: 0n, feeSun: 0n, reverted: true };
    chain.paused = true;
    const payout = await claimedPayout(1n);

    await prepare.run(payout);

    expect((await transfers.findById(payout.id))?.waiting?.code).toBe(ErrorCode.CONTRACT_PAUSED);
    expect(released).toEqual([]);
  });

  it('waits when the estimated fee is above the fee limit', async () => {
    chain.worstCase = { ...chain.worstCase, feeSun: 31_000_000n };
    const payout = await claimedPayout(1n);

    await prepare.run(payout);

    const waiting = (await transfers.findById(payout.id))!;
    expect(waiting.waiting).toMatchObject({
      code: ErrorCode.INSUFFICIENT_FEE_RESOURCES,
      message: 'estimated fee 31000000 sun exceeds TRANSFER_FEE_LIMIT_SUN 30000000',
    });
  });

  it('asks the node nothing for a disabled wallet: the payout waits for admins', async () => {
    disabled = [WALLET];
    let balanceReads = 0;
    chain.balancesOf = () => Promise.resolve(void balanceReads++).then(() => chain.balances);
    const payout = await claimedPayout(1n);

    await prepare.run(payout);

    expect((await transfers.findById(payout.id))?.waiting?.code).toBe(ErrorCode.WALLET_DISABLED);
    expect(balanceReads).toBe(0);
  });

  it('discards a signature whose lease was lost before it was stored, and frees its funds for the next payout', async () => {
    const lost = await claimedPayout(8n);
    await transfers.update(lost.id, {}, { set: { lockedBy: 'another-worker' } });

    await prepare.run(lost);

    expect((await transfers.findById(lost.id))?.tx).toBeUndefined();
    const next = await claimedPayout(8n);
    await prepare.run(next);
    expect((await transfers.findById(next.id))?.status).toBe('broadcast');
  });

  it('backs off a node error before signing and keeps the payout queued', async () => {
    chain.balancesOf = () => Promise.reject(new AppError(ErrorCode.NODE_UNAVAILABLE, 'node away'));
    const payout = await claimedPayout(1n);

    await prepare.run(payout);

    const after = (await transfers.findById(payout.id))!;
    expect(after).toMatchObject({ status: 'approved', failedAttempts: 1 });
    expect(after.lastError?.code).toBe(ErrorCode.NODE_UNAVAILABLE);
  });
});
