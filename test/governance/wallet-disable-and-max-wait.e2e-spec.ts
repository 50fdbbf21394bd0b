import request from 'supertest';
import { utils } from 'tronweb';

import {
  freshAddress,
  PaymentStack,
  startPaymentStack,
  usdtBalanceOf,
  waitForStatus,
} from '../support/payment-stack';
import { permissivePolicies, writePolicyFile } from '../support/policy-file';
import { bearer, tokenFor } from '../support/tokens';

const API = '/api/v1/tron/usdt';

/** A JSON response body, as the assertions read it. */
type Body = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- untyped JSON

/**
 * Payouts of 50 USDT or more need one admin (so a test can hold one before its wallet is disabled), a wallet
 * may send 100 USDT a day (so a released reservation is visible), and enabling a wallet needs two admins.
 */
const policyFile = writePolicyFile((doc) => {
  permissivePolicies(doc);
  doc.approvals.workflows.high_value = { threshold: '50', quorum: 1 };
  doc.approvals.workflows.emergency = { resumeQuorum: 2 };
  doc.limits.walletDaily = '100';
});

describe('disabling one hot wallet, and payouts that wait too long (devnet + embedded engine)', () => {
  let stack: PaymentStack;
  let second: string;
  const admin2 = bearer(tokenFor('admin', { sub: 'admin-2' }));
  let keySeq = 0;

  const pay = (body: Record<string, unknown>) =>
    request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', `wallet-disable-${process.pid}-${++keySeq}`)
      .send(body);
  const view = async (id: string): Promise<Body> => {
    const res = await request(stack.app.url).get(`${API}/transfers/${id}`).set(stack.viewer).expect(200);
    return res.body as Body;
  };

  beforeAll(async () => {
    stack = await startPaymentStack({ env: { POLICY_FILE: policyFile, TRANSFER_MAX_WAIT_MS: '2000' } });
    const account = stack.devnet.info.accounts[2];
    second = account.address;
    await request(stack.app.url)
      .post(`${API}/wallets`)
      .set(stack.admin)
      .send({ privateKey: account.privateKey, label: 'payouts-2' })
      .expect(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('refuses the disable for operators and for an address that is not a hot wallet', async () => {
    const operator = await request(stack.app.url)
      .post(`${API}/wallets/${second}/disable`)
      .set(stack.operator)
      .send({ reason: 'nope' })
      .expect(403);
    expect(operator.body.error.code).toBe('USDT_ERR_501');
    const unknown = await request(stack.app.url)
      .post(`${API}/wallets/${freshAddress()}/disable`)
      .set(stack.admin)
      .send({ reason: 'not ours' })
      .expect(400);
    expect(unknown.body.error.code).toBe('USDT_ERR_100');
    const noReason = await request(stack.app.url)
      .post(`${API}/wallets/${second}/disable`)
      .set(stack.admin)
      .send({})
      .expect(400);
    expect(noReason.body.error.code).toBe('USDT_ERR_100');
  });

  it('signs nothing for a disabled wallet while the other keeps paying; two admins enable it again', async () => {
    // Held for approval, so it is queued only after the wallet is disabled.
    const held = await pay({ to: freshAddress(), amount: '60', wallet: 'payouts-2' }).expect(202);
    expect(held.body.status).toBe('pending_approval');

    const disabled = await request(stack.app.url)
      .post(`${API}/wallets/${second}/disable`)
      .set(stack.admin)
      .send({ reason: 'key may have leaked' })
      .expect(200);
    expect(disabled.body).toMatchObject({
      address: second,
      disabled: true,
      disabledReason: 'key may have leaked',
      disabledBy: 'admin-1',
      enableVotes: [],
    });

    // New payouts naming it are refused and store nothing.
    const refused = await pay({ to: freshAddress(), amount: '1', wallet: second }).expect(422);
    expect(refused.body.error.code).toBe('USDT_ERR_504');

    // The queued one waits with the clear code and is never signed.
    await request(stack.app.url)
      .post(`${API}/approvals/${held.body.id}/approve`)
      .set(admin2)
      .send({})
      .expect(200);
    const deadline = Date.now() + 10_000;
    let parked = await view(held.body.id);
    while (parked.waiting?.code !== 'USDT_ERR_504' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 150));
      parked = await view(held.body.id);
    }
    expect(parked).toMatchObject({ status: 'approved', txid: null, waiting: { code: 'USDT_ERR_504' } });

    // The default wallet keeps paying meanwhile.
    const other = freshAddress();
    const paid = await pay({ to: other, amount: '5' }).expect(202);
    expect(paid.body.wallet).toBe(stack.hotWallet);
    expect((await waitForStatus(stack, paid.body.id, ['confirmed', 'failed'])).status).toBe('confirmed');
    expect(await view(held.body.id)).toMatchObject({ status: 'approved', txid: null });

    // Shown in the listing, /status and the metrics.
    const listing = await request(stack.app.url).get(`${API}/wallets`).set(stack.viewer).expect(200);
    expect(listing.body).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ address: second, disabled: true, disabledReason: 'key may have leaked' }),
        expect.objectContaining({ address: stack.hotWallet, disabled: false, disabledReason: null }),
      ]),
    );
    const status = await request(stack.app.url).get('/status').expect(200);
    expect(status.body.disabledWallets).toEqual([
      expect.objectContaining({ address: second, label: 'payouts-2', reason: 'key may have leaked' }),
    ]);
    expect(status.body.hotWallets).toEqual([stack.hotWallet]);
    const metrics = await request(stack.app.url).get('/metrics').expect(200);
    expect(metrics.text).toContain(`usdt_hot_wallet_disabled{address="${second}"} 1`);
    expect(metrics.text).toContain(`usdt_hot_wallet_disabled{address="${stack.hotWallet}"} 0`);

    // One admin is not enough, and the same admin cannot vote twice.
    const first = await request(stack.app.url)
      .post(`${API}/wallets/${second}/enable`)
      .set(stack.admin)
      .send({ comment: 'rotated the key' })
      .expect(200);
    expect(first.body).toMatchObject({
      disabled: true,
      enabled: false,
      votesNeeded: 1,
      enableVotes: ['admin-1'],
    });
    const twice = await request(stack.app.url)
      .post(`${API}/wallets/${second}/enable`)
      .set(stack.admin)
      .send({})
      .expect(409);
    expect(twice.body.error.code).toBe('USDT_ERR_203');
    // Still disabled with one vote: the parked transfer is left alone (transfer-worker.spec.ts proves the loops
    // do not claim it, without a wait).
    expect(await view(held.body.id)).toMatchObject({ status: 'approved', txid: null });

    const enabled = await request(stack.app.url)
      .post(`${API}/wallets/${second}/enable`)
      .set(admin2)
      .send({})
      .expect(200);
    expect(enabled.body).toMatchObject({ disabled: false, enabled: true, votesNeeded: 0 });
    const done = await waitForStatus(stack, held.body.id, ['confirmed', 'failed']);
    expect(done).toMatchObject({ status: 'confirmed', wallet: second });

    const again = await request(stack.app.url)
      .post(`${API}/wallets/${second}/enable`)
      .set(stack.admin)
      .send({})
      .expect(409);
    expect(again.body.error.code).toBe('USDT_ERR_203');

    const audit = await request(stack.app.url)
      .get(`${API}/audit`)
      .query({ subjectType: 'wallet', subjectId: second })
      .set(stack.admin)
      .expect(200);
    const actions = (audit.body.items as Array<{ action: string }>).map((r) => r.action);
    expect(actions).toEqual(['wallet.enable', 'wallet.enable_vote', 'wallet.disable']);
  });

  it('fails a payout waiting for funds past TRANSFER_MAX_WAIT_MS with its waiting code and frees its limits', async () => {
    // A wallet with TRX for fees and no USDT at all.
    const empty = utils.accounts.generateAccount();
    await stack.devnet.fund(empty.address.base58, { trxSun: 1_000_000_000n });
    await request(stack.app.url)
      .post(`${API}/wallets`)
      .set(stack.admin)
      .send({ privateKey: empty.privateKey, label: 'empty' })
      .expect(201);

    const waiting = await pay({ to: freshAddress(), amount: '45', wallet: 'empty' }).expect(202);
    // 45 of the wallet's 100 a day are reserved: 60 more do not fit.
    const squeezed = await pay({ to: freshAddress(), amount: '60', wallet: 'empty' }).expect(422);
    expect(squeezed.body.error.code).toBe('USDT_ERR_701');

    const failed = await waitForStatus(stack, waiting.body.id, ['failed', 'confirmed'], 20_000);
    expect(failed).toMatchObject({ status: 'failed', txid: null, failure: { code: 'USDT_ERR_200' } });
    expect((failed.failure as { message: string }).message).toContain('TRANSFER_MAX_WAIT_MS');
    expect(await usdtBalanceOf(stack, empty.address.base58)).toBe(0n);

    // Its reservation is back: 60 fit now (held for approval at 50 or more, which keeps it off the chain).
    const fits = await pay({ to: freshAddress(), amount: '60', wallet: 'empty' }).expect(202);
    expect(fits.body.status).toBe('pending_approval');
  });

  it('reports waiting transfers on /health and in usdt_transfers_waiting', async () => {
    const poor = utils.accounts.generateAccount();
    await stack.devnet.fund(poor.address.base58, { trxSun: 1_000_000_000n });
    await request(stack.app.url)
      .post(`${API}/wallets`)
      .set(stack.admin)
      .send({ privateKey: poor.privateKey, label: 'poor' })
      .expect(201);
    const waiting = await pay({ to: freshAddress(), amount: '1', wallet: 'poor' }).expect(202);

    const deadline = Date.now() + 10_000;
    let health = (await request(stack.app.url).get('/health').expect(200)).body;
    while (health.details.pipeline.waiting.total === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      health = (await request(stack.app.url).get('/health').expect(200)).body;
    }
    expect(health.details.pipeline.waiting).toMatchObject({
      total: 1,
      byCode: { USDT_ERR_200: 1 },
      oldestSince: expect.any(String),
      maxWaitMs: 2000,
    });
    const metrics = await request(stack.app.url).get('/metrics').expect(200);
    expect(metrics.text).toContain('usdt_transfers_waiting{code="USDT_ERR_200"} 1');
    await waitForStatus(stack, waiting.body.id, ['failed'], 20_000);
  });
});
