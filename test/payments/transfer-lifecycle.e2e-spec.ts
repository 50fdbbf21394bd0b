import request from 'supertest';
import { setTimeout as sleep } from 'node:timers/promises';
import { utils } from 'tronweb';

import { parseUsdtAmount } from '@app/common';

import {
  dbCommands,
  freshAddress,
  nodeCalls,
  PaymentStack,
  startPaymentStack,
  usdtBalanceOf,
  waitForStatus,
} from '../support/payment-stack';

const API = '/api/v1/tron/usdt';

describe('a transfer from request to solidified confirmation (devnet + embedded engine)', () => {
  let stack: PaymentStack;

  beforeAll(async () => {
    stack = await startPaymentStack({ env: { MONGODB_COMMAND_METRICS: 'true' } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('goes approved -> signed -> broadcast -> confirmed and pays exactly the amount, recording fee and energy', async () => {
    const to = freshAddress();
    const res = await request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', 'lifecycle-0001')
      .send({ to, amount: '12.345678', reference: 'invoice-1' })
      .expect(202);
    expect(res.body).toMatchObject({
      code: 'USDT_002',
      status: 'approved',
      to,
      amount: '12.345678',
      amountRaw: '12345678',
      wallet: stack.hotWallet,
    });

    const done = await waitForStatus(stack, res.body.id, ['confirmed', 'failed']);
    expect(done.status).toBe('confirmed');
    expect((done.history as Array<{ status: string }>).map((h) => h.status)).toEqual([
      'approved',
      'signed',
      'broadcast',
      'confirmed',
    ]);
    expect(await usdtBalanceOf(stack, to)).toBe(12_345_678n);
    expect(done).toMatchObject({ receiptResult: 'SUCCESS', txid: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(BigInt(done.energyUsed as string)).toBeGreaterThan(100_000n); // a first payment to a new holder
    expect(BigInt(done.feeSun as string)).toBeGreaterThan(0n);
    expect(BigInt(done.estimatedEnergy as string)).toBeGreaterThan(0n);

    const tx = await request(stack.app.url)
      .get(`${API}/transaction/${done.txid as string}`)
      .set(stack.viewer)
      .expect(200);
    expect(tx.body).toMatchObject({
      found: true,
      solidified: true,
      result: 'SUCCESS',
      transfer: { id: res.body.id },
    });
    expect(tx.body.transfers).toEqual([
      expect.objectContaining({ from: stack.hotWallet, to, amountRaw: '12345678' }),
    ]);
  });

  it('builds transactions locally and settles them from the chain follower blocks: no per-payout build or receipt query', async () => {
    const before = await nodeCalls(stack);
    const ids = await Promise.all(
      [1, 2, 3].map(async (n) => {
        const res = await request(stack.app.url)
          .post(`${API}/transfer`)
          .set(stack.operator)
          .set('Idempotency-Key', `follower-${n}`)
          .send({ to: freshAddress(), amount: `${n}` })
          .expect(202);
        return res.body.id as string;
      }),
    );
    for (const id of ids)
      expect((await waitForStatus(stack, id, ['confirmed', 'failed'])).status).toBe('confirmed');
    const after = await nodeCalls(stack);
    const delta = (endpoint: string) => (after.get(endpoint) ?? 0) - (before.get(endpoint) ?? 0);
    expect(delta('triggersmartcontract')).toBe(0);
    expect(delta('gettransactioninfobyid')).toBe(0);
    expect(delta('walletsolidity/gettransactioninfobyid')).toBe(0);
    expect(delta('broadcasttransaction')).toBe(3);
    expect(delta('getblockbylimitnext')).toBeGreaterThan(0);
    expect(delta('walletsolidity/gettransactioninfobyblocknum')).toBeGreaterThan(0);
  });

  it('reads a transfer under way on every poll, and a confirmed one from memory', async () => {
    const res = await request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', 'lifecycle-reads')
      .send({ to: freshAddress(), amount: '1' })
      .expect(202);
    const id = res.body.id as string;
    const reads = async (polls: number) => {
      const before = await dbCommands(stack);
      const views = [];
      for (let n = 0; n < polls; n++)
        views.push(
          (await request(stack.app.url).get(`${API}/transfers/${id}`).set(stack.viewer).expect(200)).body,
        );
      const after = await dbCommands(stack);
      return { made: (after.get('transfers find') ?? 0) - (before.get('transfers find') ?? 0), views };
    };

    const underWay = await reads(5);
    expect(underWay.made).toBeGreaterThanOrEqual(5);
    const confirmed = await waitForStatus(stack, id, ['confirmed', 'failed']);
    expect(confirmed.status).toBe('confirmed');
    // Background work reads transfers too (the pipeline's sweeps), but not one read per poll.
    const finished = await reads(20);
    expect(finished.made).toBeLessThan(5);
    for (const view of finished.views) expect(view).toEqual(confirmed);
  });

  it('replays the original transfer for a repeated Idempotency-Key and refuses the key for another request', async () => {
    const body = { to: freshAddress(), amount: '1' };
    const first = await request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', 'replay-0001')
      .send(body)
      .expect(202);
    const again = await request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', 'replay-0001')
      .send(body)
      .expect(200);
    expect(again.body).toMatchObject({ code: 'USDT_005', id: first.body.id });
    const other = await request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', 'replay-0001')
      .send({ ...body, amount: '2' })
      .expect(409);
    expect(other.body.error.code).toBe('USDT_ERR_106');
    await waitForStatus(stack, first.body.id, ['confirmed']);
  });

  it('creates exactly one transfer for 50 concurrent identical requests', async () => {
    const body = { to: freshAddress(), amount: '0.5' };
    const responses = await Promise.all(
      Array.from({ length: 50 }, () =>
        request(stack.app.url)
          .post(`${API}/transfer`)
          .set(stack.operator)
          .set('Idempotency-Key', 'concurrent-0001')
          .send(body),
      ),
    );
    const ids = new Set(responses.map((r) => (r.body as { id: string }).id));
    expect(ids.size).toBe(1);
    expect(responses.filter((r) => r.status === 202)).toHaveLength(1);
    expect(responses.filter((r) => r.status === 200)).toHaveLength(49);
    const [id] = [...ids] as string[];
    await waitForStatus(stack, id, ['confirmed']);
    expect(await usdtBalanceOf(stack, body.to)).toBe(500_000n);
  });

  it('waits with USDT_ERR_200 when the wallet lacks USDT, then completes after funding', async () => {
    const balance = await usdtBalanceOf(stack, stack.hotWallet);
    const to = freshAddress();
    const amountRaw = balance + 5_000_000n;
    const res = await request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', 'underfunded-0001')
      .send({ to, amount: Number(amountRaw / 1_000_000n).toString() })
      .expect(202);
    const deadline = Date.now() + 20_000;
    let waiting: { code?: string } | null = null;
    while (Date.now() < deadline && !waiting) {
      const t = await request(stack.app.url).get(`${API}/transfers/${res.body.id}`).set(stack.viewer);
      waiting = t.body.waiting;
      expect(t.body.status).toBe('approved');
      if (!waiting) await new Promise((r) => setTimeout(r, 200));
    }
    expect(waiting).toMatchObject({ code: 'USDT_ERR_200' });

    await stack.devnet.fund(stack.hotWallet, { usdtRaw: 10_000_000n });
    const done = await waitForStatus(stack, res.body.id, ['confirmed', 'failed']);
    expect(done).toMatchObject({ status: 'confirmed', waiting: null });
    expect(await usdtBalanceOf(stack, to)).toBe((amountRaw / 1_000_000n) * 1_000_000n);
  });

  it('counts signed-but-unexecuted transfers against the balance: the one that does not fit waits, never reverts', async () => {
    const small = utils.accounts.generateAccount();
    await request(stack.app.url)
      .post(`${API}/wallets`)
      .set(stack.admin)
      .send({ privateKey: small.privateKey, label: 'small' })
      .expect(201);
    await stack.devnet.fund(small.address.base58, { trxSun: 1_000_000_000n, usdtRaw: 10_000_000n });

    const [a, b] = await Promise.all(
      ['fits-0001', 'fits-0002'].map((key) =>
        request(stack.app.url)
          .post(`${API}/transfer`)
          .set(stack.operator)
          .set('Idempotency-Key', key)
          .send({ to: freshAddress(), amount: '6', wallet: 'small' })
          .expect(202),
      ),
    );
    // Exactly one is paid from the 10 USDT; the other stays approved, waiting for funds, and never fails.
    const ids = [a.body.id as string, b.body.id as string];
    let confirmedId: string | undefined;
    for (const deadline = Date.now() + 30_000; !confirmedId && Date.now() < deadline;) {
      for (const id of ids) {
        const t = await request(stack.app.url).get(`${API}/transfers/${id}`).set(stack.viewer).expect(200);
        expect(t.body.status).not.toBe('failed');
        if (t.body.status === 'confirmed') confirmedId = id;
      }
      await new Promise((r) => setTimeout(r, 150));
    }
    expect(confirmedId).toBeDefined();
    const waitingId = ids.find((id) => id !== confirmedId)!;
    const waiting = await request(stack.app.url)
      .get(`${API}/transfers/${waitingId}`)
      .set(stack.viewer)
      .expect(200);
    expect(waiting.body).toMatchObject({ status: 'approved', txid: null, waiting: { code: 'USDT_ERR_200' } });

    await stack.devnet.fund(small.address.base58, { usdtRaw: 10_000_000n });
    expect(await waitForStatus(stack, waitingId, ['confirmed', 'failed'])).toMatchObject({
      status: 'confirmed',
    });
  });

  it('lets every loop sign for one wallet at once, and together they never commit more than it holds', async () => {
    const small = utils.accounts.generateAccount();
    await request(stack.app.url)
      .post(`${API}/wallets`)
      .set(stack.admin)
      .send({ privateKey: small.privateKey, label: 'racing' })
      .expect(201);
    await stack.devnet.fund(small.address.base58, { trxSun: 1_000_000_000n, usdtRaw: 10_000_000n });

    // Ten payouts of 3 USDT from 10 USDT, all due at once for the pipeline's loops: exactly three fit.
    const created = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        request(stack.app.url)
          .post(`${API}/transfer`)
          .set(stack.operator)
          .set('Idempotency-Key', `racing-${String(i).padStart(4, '0')}`)
          .send({ to: freshAddress(), amount: '3', wallet: 'racing' })
          .expect(202),
      ),
    );
    const ids = created.map((res) => res.body.id as string);
    const byStatus = async () => {
      const views = await Promise.all(
        ids.map((id) => request(stack.app.url).get(`${API}/transfers/${id}`).set(stack.viewer).expect(200)),
      );
      return views.map((view) => view.body as { status: string; waiting: { code: string } | null });
    };
    let views = await byStatus();
    for (const deadline = Date.now() + 30_000; Date.now() < deadline;) {
      views = await byStatus();
      const confirmed = views.filter((v) => v.status === 'confirmed').length;
      const waiting = views.filter(
        (v) => v.status === 'approved' && v.waiting?.code === 'USDT_ERR_200',
      ).length;
      if (confirmed + waiting === ids.length && confirmed >= 3) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(views.filter((v) => v.status === 'failed')).toEqual([]);
    expect(views.filter((v) => v.status === 'confirmed')).toHaveLength(3);
    expect(views.filter((v) => v.waiting?.code === 'USDT_ERR_200')).toHaveLength(7);
    expect(await usdtBalanceOf(stack, small.address.base58)).toBe(1_000_000n);
  });

  it('shows the funds a payout holds until a block includes it (usdt_hot_wallet_holds, _held_usdt_raw)', async () => {
    const series = async () => {
      const text = (await request(stack.app.url).get('/metrics').expect(200)).text;
      const value = (name: string) =>
        new RegExp(`^${name}\\{address="${stack.hotWallet}"\\} (\\d+)$`, 'm').exec(text)?.[1];
      return { holds: value('usdt_hot_wallet_holds'), usdtRaw: value('usdt_hot_wallet_held_usdt_raw') };
    };
    // Every broadcast refused: the payout is signed and stored, and its transaction reaches no block.
    stack.devnet.setFaults({ broadcast: { mode: 'error', code: 'SERVER_BUSY', message: 'refuse all' } });
    let id = '';
    try {
      const res = await request(stack.app.url)
        .post(`${API}/transfer`)
        .set(stack.operator)
        .set('Idempotency-Key', 'held-funds-0001')
        .send({ to: freshAddress(), amount: '2.5' })
        .expect(202);
      id = res.body.id as string;
      await waitForStatus(stack, id, ['signed']);
      let held = await series();
      for (
        const deadline = Date.now() + 15_000;
        held.holds !== '1' && Date.now() < deadline;
        await sleep(200)
      ) {
        held = await series();
      }
      expect(held).toEqual({ holds: '1', usdtRaw: '2500000' });
    } finally {
      stack.devnet.setFaults({});
    }
    await waitForStatus(stack, id, ['confirmed']);
    let after = await series();
    for (const deadline = Date.now() + 15_000; after.holds && Date.now() < deadline; await sleep(200)) {
      after = await series();
    }
    expect(after).toEqual({ holds: undefined, usdtRaw: undefined });
  });

  it('grants a TRC-20 allowance through the same pipeline', async () => {
    const spender = freshAddress();
    const res = await request(stack.app.url)
      .post(`${API}/approve`)
      .set(stack.operator)
      .set('Idempotency-Key', 'approve-0001')
      .send({ spender, amount: '250' })
      .expect(202);
    expect(res.body).toMatchObject({ kind: 'approve', to: spender });
    await waitForStatus(stack, res.body.id, ['confirmed']);
    const allowance = await request(stack.app.url)
      .get(`${API}/allowance/${stack.hotWallet}/${spender}`)
      .set(stack.viewer)
      .expect(200);
    expect(allowance.body).toMatchObject({ allowance: '250', allowanceRaw: '250000000' });
  });
  it('reports exact confirmed volumes in /stats (every accumulator, not only the count)', async () => {
    type Stats = {
      byStatus: Record<string, { count: number; amount: string; amountRaw: string }>;
      byDay: Array<{ day: string; count: number; amount: string; confirmedAmount: string }>;
    };
    const stats = async () =>
      (await request(stack.app.url).get(`${API}/stats`).set(stack.viewer).expect(200)).body as Stats;
    const confirmedRaw = (s: Stats) => BigInt(s.byStatus.confirmed?.amountRaw ?? '0');
    const today = new Date().toISOString().slice(0, 10);
    // In base units; parseUsdtAmount refuses zero (no payout is of 0), which a day without payouts shows.
    const confirmedToday = (s: Stats) => {
      const amount = s.byDay.find((d) => d.day === today)?.confirmedAmount ?? '0';
      return /^0(\.0+)?$/.test(amount) ? 0n : parseUsdtAmount(amount);
    };
    const listConfirmed = async () =>
      (
        await request(stack.app.url)
          .get(`${API}/transfers?status=confirmed&limit=200`)
          .set(stack.viewer)
          .expect(200)
      ).body.items as Array<{ amountRaw: string }>;
    // Earlier tests leave the hot wallet nearly empty on purpose.
    await stack.devnet.fund(stack.hotWallet, { usdtRaw: 10_000_000n });
    // The previous test's approval may be confirmed but not yet counted: start from counters that have caught
    // up with every confirmed transfer, or its 250 USDT lands in this test's difference.
    let before = await stats();
    for (let i = 0; i < 50 && (before.byStatus.confirmed?.count ?? 0) < (await listConfirmed()).length; i++) {
      await sleep(100);
      before = await stats();
    }

    const amounts = ['1.5', '2.25', '3.000001'];
    const ids: string[] = [];
    for (const [i, amount] of amounts.entries()) {
      const res = await request(stack.app.url)
        .post(`${API}/transfer`)
        .set(stack.operator)
        .set('Idempotency-Key', `stats-volume-${i}`)
        .send({ to: freshAddress(), amount })
        .expect(202);
      ids.push(res.body.id as string);
    }
    for (const id of ids)
      expect((await waitForStatus(stack, id, ['confirmed', 'failed'])).status).toBe('confirmed');

    // The counters move with each transfer's events, a moment after the transfer itself.
    let after = await stats();
    for (let i = 0; i < 50 && confirmedRaw(after) - confirmedRaw(before) < 6_750_001n; i++) {
      await sleep(100);
      after = await stats();
    }
    expect(confirmedRaw(after) - confirmedRaw(before)).toBe(6_750_001n);
    expect(after.byStatus.confirmed.count - (before.byStatus.confirmed?.count ?? 0)).toBe(3);
    expect(confirmedToday(after) - confirmedToday(before)).toBe(6_750_001n);
    // Every confirmed transfer of the suite is counted, the first one ever created included.
    const confirmed = await listConfirmed();
    expect(after.byStatus.confirmed.count).toBe(confirmed.length);
    expect(confirmedRaw(after)).toBe(confirmed.reduce((sum, t) => sum + BigInt(t.amountRaw), 0n));
  });
});
