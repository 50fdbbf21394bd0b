import type { ConfigService } from '@nestjs/config';

import { AppError, ErrorCode } from '@app/common';
import type { AllConfig } from '@app/config';
import type {
  BlockRef,
  BroadcastOutcome,
  ChainFollower,
  SignedTransaction,
  TransactionReceipt,
  TronClient,
} from '@app/tron';

import { SignedTx, Transfer, TransferStatus } from '../domain/transfer';
import { TransferTransitions } from '../persistence/transfer-transitions';
import { OutgoingGate, TransferPolicy } from '../policy/transfer-policy';
import { InMemoryTransferRepository } from '../testing/in-memory-transfer.repository';
import { BroadcastSigned } from './broadcast-signed';
import { ChainHeads } from './chain-heads';
import { PipelineContext } from './pipeline-context';
import { SettleFromBlocks } from './settle-from-blocks';
import { TrackOnChain } from './track-on-chain';
import { TransferEvents } from './transfer-events';
import { WatchedTransactions } from './watched-transactions';

const WALLET = 'TWalletAAAAAAAAAAAAAAAAAAAAAAAAAAA';
const PAYEE = 'TPayeeBBBBBBBBBBBBBBBBBBBBBBBBBBBB';
const WORKER = 'worker-under-test';
const BLOCK_MS = 3_000;

/**
 * The chain as the money path sees it: two heads, receipts by txid (head and solidified), and what was
 * broadcast. Blocks are produced by hand, so a test decides exactly what the chain knows.
 */
class FakeChain {
  headNumber = 100;
  solidifiedNumber = 81;
  readonly headReceipts = new Map<string, TransactionReceipt>();
  readonly solidifiedReceipts = new Map<string, TransactionReceipt>();
  readonly broadcasts: string[] = [];
  broadcastAnswer: BroadcastOutcome | Error = { accepted: true, txid: '', duplicate: false };

  ref(number: number): BlockRef {
    return { number, id: `block-${number}`, timestamp: number * BLOCK_MS };
  }
  /** A receipt in block `blockNumber`, solidified or not depending on the heads. */
  include(receipt: TransactionReceipt): void {
    this.headReceipts.set(receipt.txid, receipt);
    if (receipt.blockNumber <= this.solidifiedNumber) this.solidifiedReceipts.set(receipt.txid, receipt);
  }
  solidifyTo(number: number): void {
    this.solidifiedNumber = number;
    for (const receipt of this.headReceipts.values()) {
      if (receipt.blockNumber <= number) this.solidifiedReceipts.set(receipt.txid, receipt);
    }
  }

  // ---- what TronClient offers the path ----
  head = () => Promise.resolve(this.ref(this.headNumber));
  solidifiedHead = () => Promise.resolve(this.ref(this.solidifiedNumber));
  getTransactionInfo = (txid: string) => Promise.resolve(this.headReceipts.get(txid) ?? null);
  getSolidifiedTransactionInfo = (txid: string) => Promise.resolve(this.solidifiedReceipts.get(txid) ?? null);
  broadcast = (signed: SignedTransaction) => {
    this.broadcasts.push(JSON.stringify(signed));
    const answer = this.broadcastAnswer;
    return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
  };
  // ---- what ChainFollower offers ----
  latestHeads = () => ({
    head: this.ref(this.headNumber),
    solidified: this.ref(this.solidifiedNumber),
    readAt: Date.now(),
  });
  subscribe = () => undefined;
}

function receiptFor(
  tx: SignedTx,
  blockNumber: number,
  overrides: Partial<TransactionReceipt> = {},
): TransactionReceipt {
  return {
    txid: tx.txid,
    blockNumber,
    blockTimestamp: blockNumber * BLOCK_MS,
    result: 'SUCCESS',
    energyUsed: 64_285n,
    feeSun: 13_844_850n,
    netFeeSun: 345_000n,
    energyFeeSun: 13_499_850n,
    netUsage: 0n,
    logs: [],
    trc20Transfers: [{ contract: 'TUsdt', from: WALLET, to: PAYEE, valueRaw: 25_000_000n }],
    ...overrides,
  };
}

class RecordingEvents {
  readonly moves: string[] = [];
  moved(transfer: Transfer, from: TransferStatus): void {
    this.moves.push(`${transfer.id}: ${from} -> ${transfer.status}`);
  }
}

describe('the money path after signing (in-memory transfers, a fake chain)', () => {
  let chain: FakeChain;
  let transfers: InMemoryTransferRepository;
  let events: RecordingEvents;
  let released: string[];
  let stopped: boolean;
  let tracker: TrackOnChain;
  let settler: SettleFromBlocks;
  let watched: WatchedTransactions;
  let txCount: number;

  beforeEach(() => {
    chain = new FakeChain();
    transfers = new InMemoryTransferRepository();
    events = new RecordingEvents();
    released = [];
    stopped = false;
    txCount = 0;
    const settings = {
      pollIntervalMs: 500,
      retryDelayMs: 1_000,
      leaseMs: 30_000,
      maxReplacements: 2,
    };
    const config = { getOrThrow: () => settings } as unknown as ConfigService<AllConfig, true>;
    const context = new PipelineContext(config);
    Object.defineProperty(context, 'workerId', { value: WORKER });
    const transitions = new TransferTransitions(transfers, events as unknown as TransferEvents);
    const gate = {
      assertOpen: () =>
        stopped
          ? Promise.reject(new AppError(ErrorCode.EMERGENCY_STOP, 'emergency stop'))
          : Promise.resolve(),
    } as unknown as OutgoingGate;
    const policy = {
      released: (t: Transfer) => {
        released.push(t.id);
        return Promise.resolve();
      },
    } as unknown as TransferPolicy;
    const tron = chain as unknown as TronClient;
    const follower = chain as unknown as ChainFollower;
    watched = new WatchedTransactions();
    const broadcaster = new BroadcastSigned(transitions, tron, gate, context, follower);
    const heads = new ChainHeads(tron, follower, context);
    tracker = new TrackOnChain(transitions, tron, broadcaster, policy, context, heads, watched);
    settler = new SettleFromBlocks(follower, tracker, watched);
  });

  /** A 25 USDT payout stored with its signature, in `status`, leased to the worker as a claim would. */
  async function signedPayout(
    status: 'signed' | 'broadcast',
    tx: Partial<SignedTx> = {},
  ): Promise<{ transfer: Transfer; tx: SignedTx }> {
    txCount += 1;
    const id = `payout-${txCount}`;
    const inserted = await transfers.insert({
      id,
      kind: 'transfer',
      status: 'approved',
      wallet: WALLET,
      to: PAYEE,
      amountRaw: 25_000_000n,
      internal: false,
      requestedBy: 'operator-1',
      idempotencyKey: `key-${id}`,
      requestHash: 'hash',
    });
    expect(inserted).not.toBe('duplicate');
    const signed: SignedTx = {
      txid: String(txCount).repeat(64).slice(0, 64),
      signedJson: JSON.stringify({ txID: id, raw_data: { expiration: 1 } }),
      expiration: Date.now() + 60_000,
      signedAt: new Date(),
      feeLimitSun: 30_000_000n,
      ...tx,
    };
    await transfers.transition(id, {
      from: ['approved'],
      to: 'signed',
      set: { tx: signed, estimatedFeeSun: 27_000_000n, estimatedEnergy: 65_000n },
    });
    if (status === 'broadcast') {
      await transfers.transition(id, { from: ['signed'], to: 'broadcast', set: { lastSentAt: new Date() } });
    }
    const claimed = await transfers.claimDue(['signed', 'broadcast'], WORKER, 30_000);
    expect(claimed?.id).toBe(id);
    return { transfer: claimed!, tx: signed };
  }

  const stored = async (id: string) => (await transfers.findById(id))!;

  it('confirms a payout once its solidified receipt shows the exact Transfer, and only once', async () => {
    const { transfer, tx } = await signedPayout('broadcast');
    chain.include(receiptFor(tx, 80));

    await tracker.run(transfer);
    await tracker.run(transfer); // the same claim seen again: a second instance, a retry after a crash

    const after = await stored(transfer.id);
    expect(after.status).toBe('confirmed');
    expect(after.confirmations).toBe(21);
    expect(after.receipt).toMatchObject({ blockNumber: 80, feeSun: 13_844_850n });
    expect(events.moves.filter((m) => m.startsWith(transfer.id))).toEqual([
      `${transfer.id}: broadcast -> confirmed`,
    ]);
    expect(released).toEqual([]);
  });

  it('fails a SUCCESS receipt without our exact Transfer log and keeps its limits: tokens did move', async () => {
    const { transfer, tx } = await signedPayout('broadcast');
    chain.include(
      receiptFor(tx, 80, {
        trc20Transfers: [{ contract: 'TUsdt', from: WALLET, to: PAYEE, valueRaw: 24_999_999n }],
      }),
    );

    await tracker.run(transfer);
    await tracker.run(transfer);

    const after = await stored(transfer.id);
    expect(after.status).toBe('failed');
    expect(after.failure).toMatchObject({
      code: ErrorCode.CONTRACT_REVERTED,
      message: expect.stringMatching(/^receipt SUCCESS without a Transfer log of exactly the amount/),
    });
    expect(released).toEqual([]);
  });

  it("fails a reverted receipt with the receipt's catalogue code", async () => {
    const { transfer, tx } = await signedPayout('broadcast');
    chain.include(receiptFor(tx, 80, { result: 'OUT_OF_ENERGY', trc20Transfers: [] }));

    await tracker.run(transfer);

    const after = await stored(transfer.id);
    expect(after.status).toBe('failed');
    expect(after.failure).toMatchObject({
      code: ErrorCode.INSUFFICIENT_FEE_RESOURCES,
      message: 'receipt OUT_OF_ENERGY',
    });
  });

  it('counts confirmations while the block is above the solidified head, then settles from the block', async () => {
    const { transfer, tx } = await signedPayout('broadcast');
    chain.include(receiptFor(tx, 95));

    await tracker.run(transfer);
    const included = await stored(transfer.id);
    expect(included.status).toBe('broadcast');
    expect(included.confirmations).toBe(6);
    expect(included.receipt?.blockNumber).toBe(95);

    // The follower's solidified block 95 settles it, with no per-transaction call; twice is harmless.
    chain.solidifyTo(95);
    watched.watch(included);
    const block = {
      number: 95,
      timestamp: 95 * BLOCK_MS,
      receipts: [chain.solidifiedReceipts.get(tx.txid)!],
    };
    await settler.onSolidifiedBlock(block);
    await settler.onSolidifiedBlock(block);

    expect((await stored(transfer.id)).status).toBe('confirmed');
    expect(events.moves.filter((m) => m.endsWith('confirmed'))).toHaveLength(1);
  });

  it('settles from a block only the transaction the transfer holds now, not one it replaced', async () => {
    const { transfer, tx } = await signedPayout('broadcast');
    watched.watch(transfer);
    // Replaced meanwhile (by another instance): the transfer now waits for a new signature.
    await transfers.transition(transfer.id, {
      from: ['broadcast'],
      to: 'approved',
      unset: ['tx'],
      pushSupersededTxid: tx.txid,
      release: true,
    });

    await settler.onSolidifiedBlock({ number: 82, timestamp: 82 * BLOCK_MS, receipts: [receiptFor(tx, 82)] });

    expect((await stored(transfer.id)).status).toBe('approved');
    expect(watched.transferOf(tx.txid)).toBeUndefined();
  });

  it('sends the same bytes again while the transaction is unseen and unexpired', async () => {
    const { transfer, tx } = await signedPayout('broadcast');
    const old = new Date(Date.now() - 5_000);
    await transfers.update(transfer.id, {}, { set: { lastSentAt: old } });

    await tracker.run({ ...transfer, lastSentAt: old });

    expect(chain.broadcasts).toEqual([tx.signedJson]);
    const after = await stored(transfer.id);
    expect(after.status).toBe('broadcast');
    expect(after.broadcastAttempts).toBe(1);
    expect(after.tx?.txid).toBe(tx.txid);
  });

  it('does not send again a transaction the node accepted within the retry interval', async () => {
    const { transfer } = await signedPayout('broadcast');

    await tracker.run(transfer);

    expect(chain.broadcasts).toEqual([]);
    expect((await stored(transfer.id)).nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('waits, does not fail, while an expired transaction may still be in a block not yet solidified', async () => {
    // Expired at block 90's time, the solidified head (81) is before that: it could still be in 82-90.
    const { transfer } = await signedPayout('broadcast', { expiration: 90 * BLOCK_MS });

    await tracker.run(transfer);

    const after = await stored(transfer.id);
    expect(after.status).toBe('broadcast');
    expect(after.supersededTxids).toEqual([]);
    expect(chain.broadcasts).toEqual([]);
  });

  it('hands an expired, provably absent transaction back for a new signature, then fails it when none is left', async () => {
    const { transfer, tx } = await signedPayout('broadcast', { expiration: 70 * BLOCK_MS });

    await tracker.run(transfer);

    const replaced = await stored(transfer.id);
    expect(replaced.status).toBe('approved');
    expect(replaced.tx).toBeUndefined();
    expect(replaced.supersededTxids).toEqual([tx.txid]);
    expect(released).toEqual([]);

    // Signed again, expired again: two transactions tried, the limit (2) is reached.
    await transfers.transition(transfer.id, {
      from: ['approved'],
      to: 'signed',
      set: { tx: { ...tx, txid: 'f'.repeat(64) } },
    });
    const again = await transfers.claimDue(['signed'], WORKER, 30_000);
    await tracker.run(again!);

    const final = await stored(transfer.id);
    expect(final.status).toBe('failed');
    expect(final.failure).toMatchObject({
      code: ErrorCode.TRANSACTION_NOT_FOUND,
      message: '2 transactions expired unseen',
    });
    expect(final.supersededTxids).toEqual([tx.txid, 'f'.repeat(64)]);
    expect(released).toEqual([transfer.id]);
  });

  it('broadcasts nothing while the emergency stop is on: the transfer waits with the reason', async () => {
    const { transfer } = await signedPayout('signed');
    stopped = true;

    await tracker.run(transfer);

    expect(chain.broadcasts).toEqual([]);
    const after = await stored(transfer.id);
    expect(after.status).toBe('signed');
    expect(after.waiting?.code).toBe(ErrorCode.EMERGENCY_STOP);
    expect(after.failedAttempts).toBe(0);
  });

  it('keeps the bytes and backs off when a send times out: it may have arrived', async () => {
    const { transfer, tx } = await signedPayout('signed');
    chain.broadcastAnswer = new Error('socket hang up');

    await tracker.run(transfer);

    const after = await stored(transfer.id);
    expect(chain.broadcasts).toEqual([tx.signedJson]);
    expect(after.status).toBe('signed');
    expect(after.tx?.txid).toBe(tx.txid);
    expect(after.failedAttempts).toBe(1);
    expect(after.lastError?.code).toBe(ErrorCode.INTERNAL);
    expect(after.nextAttemptAt.getTime()).toBeGreaterThan(Date.now());
  });

  it('moves a signed transfer the node already holds to broadcast, saying so', async () => {
    const { transfer, tx } = await signedPayout('signed');
    chain.broadcastAnswer = { accepted: true, txid: tx.txid, duplicate: true };

    await tracker.run(transfer);

    const after = await stored(transfer.id);
    expect(after.status).toBe('broadcast');
    expect(after.history.at(-1)).toMatchObject({
      status: 'broadcast',
      note: 'node already had the transaction',
    });
    expect(events.moves).toContain(`${transfer.id}: signed -> broadcast`);
  });
});
