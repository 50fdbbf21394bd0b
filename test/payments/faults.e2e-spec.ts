import mongoose from 'mongoose';
import request from 'supertest';
import { utils } from 'tronweb';

import {
  BroadcastLog,
  headBlock,
  recordBroadcasts,
  transactionInBlock,
  transactionKnown,
  usdtTransfersTo,
} from '../support/chain-checks';
import {
  freshAddress,
  PaymentStack,
  startPaymentStack,
  usdtBalanceOf,
  waitForStatus,
} from '../support/payment-stack';

const API = '/api/v1/tron/usdt';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface TransferBody {
  id: string;
  status: string;
  txid: string | null;
  supersededTxids: string[];
  broadcastAttempts: number;
  history: Array<{ status: string; at: string; note?: string }>;
  lastError: { code: string; message: string } | null;
}

/**
 * Each transfer must end paid exactly once whatever the node does to it. "Paid once" is checked on the chain
 * itself (the devnet's TronGrid API), not through the service: the recipient's USDT balance equals the amount
 * and exactly one USDT Transfer event pays the recipient, from the hot wallet, in the transfer's final txid.
 */
describe('payment faults: every transfer ends paid exactly once (devnet fault injection)', () => {
  let stack: PaymentStack;
  let broadcasts: BroadcastLog;

  beforeAll(async () => {
    stack = await startPaymentStack({ blockIntervalMs: 300, solidityLag: 3 });
  });

  beforeEach(() => {
    broadcasts = recordBroadcasts(stack.devnet.chain);
  });

  afterEach(() => {
    stack.devnet.setFaults({});
    broadcasts.restore();
  });

  afterAll(async () => {
    await stack?.close();
  });

  async function postTransfer(key: string, to: string, amount: string): Promise<TransferBody> {
    const res = await request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', key)
      .send({ to, amount })
      .expect(202);
    return res.body as TransferBody;
  }

  async function getTransfer(id: string): Promise<TransferBody> {
    const res = await request(stack.app.url).get(`${API}/transfers/${id}`).set(stack.viewer).expect(200);
    return res.body as TransferBody;
  }

  async function until<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs: number,
    everyMs = 100,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const v = await probe();
      if (v !== undefined) return v;
      await sleep(everyMs);
    }
    throw new Error(`timed out waiting for ${what}`);
  }

  /** Balance and Transfer events on the chain: exactly one payment of `amountRaw` to `to`, in `txid`. */
  async function expectPaidExactlyOnce(to: string, amountRaw: bigint, txid: string): Promise<void> {
    // A duplicate still in the pool would land in the next block or two: give it time to show up.
    await sleep(1_500);
    const usdt = stack.devnet.info.usdt.address;
    const events = await usdtTransfersTo(stack.devnet.url, usdt, to);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ txid, from: stack.hotWallet, to, valueRaw: amountRaw });
    expect(stack.devnet.chain.usdt.balanceOf(hexOf(to))).toBe(amountRaw);
    expect(await usdtBalanceOf(stack, to)).toBe(amountRaw);
  }

  it('fault: dropped broadcast response (drop-response x2) -> the tx lands unanswered, re-sent bytes are DUP, paid once', async () => {
    stack.devnet.setFaults({ broadcast: { mode: 'drop-response', count: 2 } });
    const to = freshAddress();
    const created = await postTransfer('fault-drop-response-1', to, '3.5');

    const done = await waitForStatus(stack, created.id, ['confirmed', 'failed']);
    expect(done.status).toBe('confirmed');
    expect(done.supersededTxids).toEqual([]);
    const txid = done.txid as string;

    // The fault really hit: both dropped broadcasts reached the chain with these bytes; the first was
    // accepted, every later send of the same bytes was a duplicate.
    expect(broadcasts.refusedByFault).toEqual([]);
    expect(broadcasts.reachedChain.length).toBeGreaterThanOrEqual(2);
    expect(new Set(broadcasts.all())).toEqual(new Set([txid]));
    expect(broadcasts.reachedChain[0].code).toBe('ACCEPTED');
    expect(broadcasts.reachedChain.slice(1).every((b) => b.code === 'DUP_TRANSACTION_ERROR')).toBe(true);

    await expectPaidExactlyOnce(to, 3_500_000n, txid);
  });

  it('fault: broadcast errors (SERVER_BUSY x3) -> the same bytes are retried, txid never changes, paid once', async () => {
    stack.devnet.setFaults({ broadcast: { mode: 'error', code: 'SERVER_BUSY', count: 3 } });
    const to = freshAddress();
    const created = await postTransfer('fault-server-busy-1', to, '4.25');

    const done = await waitForStatus(stack, created.id, ['confirmed', 'failed']);
    expect(done.status).toBe('confirmed');
    const txid = done.txid as string;
    expect(done.supersededTxids).toEqual([]);

    // Three refusals, then an acceptance, always the same txid (same signed bytes).
    expect(broadcasts.refusedByFault).toEqual([txid, txid, txid]);
    expect(broadcasts.reachedChain[0]).toEqual({ txid, code: 'ACCEPTED' });
    expect(new Set(broadcasts.all())).toEqual(new Set([txid]));
    expect(done.broadcastAttempts as number).toBeGreaterThanOrEqual(4);
    expect((done.history as Array<{ status: string }>).map((h) => h.status)).toEqual([
      'approved',
      'signed',
      'broadcast',
      'confirmed',
    ]);

    await expectPaidExactlyOnce(to, 4_250_000n, txid);
  });

  it('fault: node down for a while (down:true for 3 s after acceptance) -> resumes and pays once', async () => {
    const to = freshAddress();
    const created = await postTransfer('fault-node-down-1', to, '5.125');
    stack.devnet.setFaults({ down: true });
    const downAt = Date.now();
    const seen = new Set<string>();
    let sawNodeError = false;
    while (Date.now() - downAt < 3_000) {
      const t = await getTransfer(created.id);
      seen.add(t.status);
      if (t.lastError) sawNodeError = true;
      await sleep(100);
    }
    const duringOutage = await getTransfer(created.id);
    stack.devnet.setFaults({});

    // Nothing can be confirmed while the node is unreachable, and the outage was noticed.
    expect(seen.has('confirmed')).toBe(false);
    expect(duringOutage.status).not.toBe('confirmed');
    expect(sawNodeError).toBe(true);

    const done = await waitForStatus(stack, created.id, ['confirmed', 'failed']);
    expect(done.status).toBe('confirmed');
    expect(done.supersededTxids).toEqual([]);
    const txid = done.txid as string;
    expect(new Set(broadcasts.all())).toEqual(new Set([txid]));

    await expectPaidExactlyOnce(to, 5_125_000n, txid);
  });

  it('fault: an expired transaction (every broadcast refused until it expires) -> replaced only once provably dead, paid once', async () => {
    stack.devnet.setFaults({ broadcast: { mode: 'error', code: 'SERVER_BUSY', message: 'refuse all' } });
    const to = freshAddress();
    const created = await postTransfer('fault-expired-1', to, '6.75');

    const signed = await until(
      'the transfer to be signed',
      async () => {
        const t = await getTransfer(created.id);
        return t.txid ? t : undefined;
      },
      20_000,
    );
    expect(signed.status).toBe('signed');
    const oldTxid = signed.txid as string;

    // The stored transaction's expiration, from the service's own record (raw_data.expiration set by the node).
    const conn = await mongoose.createConnection(stack.db.uri, { dbName: 'payments' }).asPromise();
    let expiration: number;
    try {
      const doc = await conn.collection('transfers').findOne({ 'tx.txid': oldTxid });
      expiration = Number(doc?.tx?.expiration);
    } finally {
      await conn.close();
    }
    expect(expiration).toBeGreaterThan(Date.now());
    expect(expiration - Date.now()).toBeLessThanOrEqual(61_000);

    // Until the solidified head is past the expiration the old transaction might still land: no replacement.
    while (true) {
      const solid = await headBlock(stack.devnet.url, true);
      const t = await getTransfer(created.id);
      if (solid.timestamp > expiration) break;
      expect(t.supersededTxids).toEqual([]);
      expect(t.txid).toBe(oldTxid);
      expect(['signed']).toContain(t.status);
      // While the old transaction might still land, only its own bytes are ever sent.
      expect(new Set(broadcasts.refusedByFault)).toEqual(new Set([oldTxid]));
      await sleep(500);
    }

    // The tracker now proves it can never land and re-queues the transfer for a new signature.
    const replaced = await until(
      'the expired transaction to be superseded',
      async () => {
        const t = await getTransfer(created.id);
        return t.supersededTxids.length > 0 ? t : undefined;
      },
      15_000,
    );
    expect(replaced.supersededTxids).toEqual([oldTxid]);
    stack.devnet.setFaults({});

    const done = await waitForStatus(stack, created.id, ['confirmed', 'failed'], 30_000);
    expect(done.status).toBe('confirmed');
    const newTxid = done.txid as string;
    expect(newTxid).not.toBe(oldTxid);
    // The service may re-sign the moment the solidified head passes the expiration (before this test notices):
    // every refused send was the old transaction, then only the replacement.
    const refused = broadcasts.refusedByFault;
    const firstNew = refused.findIndex((txid) => txid !== oldTxid);
    expect(firstNew).not.toBe(0);
    if (firstNew !== -1) expect(new Set(refused.slice(firstNew))).toEqual(new Set([newTxid]));
    expect(done.supersededTxids).toEqual([oldTxid]);
    expect((done.history as Array<{ status: string }>).map((h) => h.status)).toEqual([
      'approved',
      'signed',
      'approved',
      'signed',
      'broadcast',
      'confirmed',
    ]);
    // The re-queue happened after the solidified chain passed the old expiration.
    const requeue = (done.history as Array<{ status: string; at: string }>)[2];
    expect(new Date(requeue.at).getTime()).toBeGreaterThan(expiration);

    await expectPaidExactlyOnce(to, 6_750_000n, newTxid);
    // The old transaction never reached the chain and is unknown to the node.
    expect(broadcasts.reachedChain.map((b) => b.txid)).not.toContain(oldTxid);
    expect(await transactionKnown(stack.devnet.url, oldTxid)).toBe(false);
    expect(await transactionInBlock(stack.devnet.url, oldTxid)).toBe(false);
  }, 150_000);
});

/** Base58check TRON address -> 41-prefixed lower-case hex (the devnet's internal form). */
function hexOf(address: string): string {
  return utils.address.toHex(address).toLowerCase();
}
