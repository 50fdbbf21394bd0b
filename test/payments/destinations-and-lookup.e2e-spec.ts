import request from 'supertest';

import { lookalikeOf } from '../support/lookalike-address';
import { freshAddress, PaymentStack, startPaymentStack, waitForStatus } from '../support/payment-stack';
import { permissivePolicies, writePolicyFile } from '../support/policy-file';
import { bearer, tokenFor } from '../support/tokens';

const API = '/api/v1/tron/usdt';

/**
 * Governance out of the way except the look-alike rule, which matches on 1 character after the T and the
 * last 2: short enough for the test to grind a look-alike in a moment, like an attacker with more time would.
 */
const policyFile = writePolicyFile((doc) => {
  permissivePolicies(doc);
  doc.monitoring.lookalike = { enabled: true, prefix: 1, suffix: 2, action: 'approval' };
});

describe('destinations that must not be paid by accident; finding payouts (devnet + embedded engine)', () => {
  let stack: PaymentStack;
  let secondWallet: string;
  let usdtContract: string;
  let keySeq = 0;
  const admin2 = bearer(tokenFor('admin', { sub: 'admin-2' }));
  const nextKey = () => `destinations-${process.pid}-${++keySeq}`;
  /** Ground once: a look-alike of the hot wallet stays never-paid while its transfers are only held. */
  let hotWalletPoison: string | undefined;
  const hotWalletLookalike = () => (hotWalletPoison ??= lookalikeOf(stack.hotWallet, 1, 2));

  const post = (path: string, body: object, key = nextKey()) =>
    request(stack.app.url).post(`${API}${path}`).set(stack.operator).set('Idempotency-Key', key).send(body);
  const transfersTo = async (to: string) =>
    (await request(stack.app.url).get(`${API}/transfers`).query({ to }).set(stack.viewer).expect(200)).body
      .items as Array<Record<string, unknown>>;

  beforeAll(async () => {
    stack = await startPaymentStack({ env: { POLICY_FILE: policyFile } });
    usdtContract = stack.devnet.info.usdt.address;
    const second = stack.devnet.info.accounts[2];
    secondWallet = second.address;
    await request(stack.app.url)
      .post(`${API}/wallets`)
      .set(stack.admin)
      .send({ privateKey: second.privateKey, label: 'second' })
      .expect(201);
  });

  afterAll(async () => {
    await stack?.close();
  });

  describe('USDT_ERR_107', () => {
    it('refuses a payout to the USDT contract, stores nothing, and leaves the key unused', async () => {
      const key = nextKey();
      const res = await post('/transfer', { to: usdtContract, amount: '1' }, key).expect(422);
      expect(res.body.error).toMatchObject({
        code: 'USDT_ERR_107',
        retryable: false,
        details: [{ field: 'to', message: expect.stringContaining('contract') }],
      });
      expect(await transfersTo(usdtContract)).toEqual([]);
      // Nothing was stored under the key: the same key with an allowed request is a new transfer.
      await post('/transfer', { to: freshAddress(), amount: '1' }, key).expect(202);
    });

    it('refuses a payout to any other smart contract, as the node tells, but lets one be an approve spender', async () => {
      const router = await stack.devnet.deployContract('PaymentRouter');
      const res = await post('/transfer', { to: router, amount: '1' }).expect(422);
      expect(res.body.error).toMatchObject({
        code: 'USDT_ERR_107',
        details: [{ field: 'to', message: expect.stringContaining('contract account') }],
      });
      expect(await transfersTo(router)).toEqual([]);
      const approve = await post('/approve', { spender: router, amount: '5' }).expect(202);
      expect(approve.body).toMatchObject({ kind: 'approve', to: router, code: 'USDT_002' });
    });

    it('refuses a payout to another of our hot wallets unless it says internal: true, then pays it as internal', async () => {
      const refused = await post('/transfer', { to: secondWallet, amount: '2' }).expect(422);
      expect(refused.body.error.code).toBe('USDT_ERR_107');
      expect(refused.body.error.details[0].message).toContain('internal: true');
      expect(await transfersTo(secondWallet)).toEqual([]);

      const internal = await post('/transfer', { to: secondWallet, amount: '2', internal: true }).expect(202);
      expect(internal.body).toMatchObject({ code: 'USDT_002', status: 'approved', internal: true });
      const done = await waitForStatus(stack, internal.body.id as string, ['confirmed', 'failed']);
      expect(done).toMatchObject({ status: 'confirmed', internal: true, code: 'USDT_004' });
    });

    it('refuses internal: true for an address that is not ours', async () => {
      const res = await post('/transfer', { to: freshAddress(), amount: '1', internal: true }).expect(422);
      expect(res.body.error).toMatchObject({
        code: 'USDT_ERR_107',
        details: [{ field: 'to', message: expect.stringContaining('own hot wallets') }],
      });
    });

    it('refuses an approve for the USDT contract itself or for our own wallet, but allows an outside spender', async () => {
      const token = await post('/approve', { spender: usdtContract, amount: '5' }).expect(422);
      expect(token.body.error).toMatchObject({ code: 'USDT_ERR_107', details: [{ field: 'spender' }] });
      const ours = await post('/approve', { spender: secondWallet, amount: '5' }).expect(422);
      expect(ours.body.error.code).toBe('USDT_ERR_107');
      await post('/approve', { spender: freshAddress(), amount: '5' }).expect(202);
    });

    it('refuses a whole batch that names the contract, naming the item, and stores none of it', async () => {
      const fine = freshAddress();
      const res = await post('/transfers/batch', {
        items: [
          { to: fine, amount: '1' },
          { to: usdtContract, amount: '1' },
        ],
      }).expect(422);
      expect(res.body.error).toMatchObject({
        code: 'USDT_ERR_107',
        details: [{ field: 'items.1.to', item: 1 }],
      });
      expect(await transfersTo(fine)).toEqual([]);
    });
  });

  it('answers 503 USDT_ERR_400 and stores nothing when the node cannot say whether the destination is a contract', async () => {
    const to = freshAddress();
    stack.devnet.setFaults({ down: true });
    try {
      const res = await post('/transfer', { to, amount: '1' }).expect(503);
      expect(res.body.error).toMatchObject({ code: 'USDT_ERR_400', retryable: true });
    } finally {
      stack.devnet.setFaults({});
    }
    expect(await transfersTo(to)).toEqual([]);
  });

  describe('look-alike destinations', () => {
    it('holds a never-paid address that shares both ends with one we paid, recording the hit', async () => {
      const genuine = freshAddress();
      const paid = await post('/transfer', { to: genuine, amount: '3' }).expect(202);
      expect(paid.body.approval.ruleHits).toEqual([]);

      const poison = lookalikeOf(genuine, 1, 2);
      const held = await post('/transfer', { to: poison, amount: '3' }).expect(202);
      expect(held.body).toMatchObject({
        code: 'USDT_003',
        status: 'pending_approval',
        approval: {
          workflow: 'review',
          reasons: ['lookalike'],
          votesNeeded: 2,
          ruleHits: [{ rule: 'lookalike', action: 'approval', detail: expect.stringContaining(genuine) }],
        },
      });

      // The vote answers say how many are still needed; a reject needs a comment, and says so.
      const vote = await request(stack.app.url)
        .post(`${API}/approvals/${held.body.id as string}/approve`)
        .set(admin2)
        .send({})
        .expect(200);
      expect(vote.body).toMatchObject({ status: 'pending_approval', votesNeeded: 1, code: 'USDT_003' });
      const bare = await request(stack.app.url)
        .post(`${API}/approvals/${held.body.id as string}/reject`)
        .set(stack.admin)
        .send({})
        .expect(400);
      expect(bare.body.error).toMatchObject({
        code: 'USDT_ERR_100',
        message: 'comment is required',
        details: [{ field: 'comment', message: 'comment is required' }],
      });
      const rejected = await request(stack.app.url)
        .post(`${API}/approvals/${held.body.id as string}/reject`)
        .set(stack.admin)
        .send({ comment: 'address poisoning' })
        .expect(200);
      expect(rejected.body).toMatchObject({ status: 'rejected', votesNeeded: 0, code: 'USDT_001' });
    });

    it('holds a look-alike of one of our hot wallets', async () => {
      const poison = hotWalletLookalike();
      const held = await post('/transfer', { to: poison, amount: '1' }).expect(202);
      expect(held.body.approval.ruleHits).toEqual([
        expect.objectContaining({ rule: 'lookalike', detail: expect.stringContaining(stack.hotWallet) }),
      ]);
    });
  });

  describe('finding payouts and their codes', () => {
    it('finds payouts by reference, single or batch item, each view with its catalogue code', async () => {
      const reference = `INV-${process.pid}-${Date.now()}`;
      const single = await post('/transfer', { to: freshAddress(), amount: '1', reference }).expect(202);
      const batch = await post('/transfers/batch', {
        items: [
          { to: freshAddress(), amount: '1', reference: `${reference}-a` },
          { to: freshAddress(), amount: '1', reference: `${reference}-b` },
        ],
      }).expect(202);
      const batchItems = batch.body.items as Array<{ id: string; code: string }>;
      expect(batchItems.map((t) => t.code)).toEqual(['USDT_002', 'USDT_002']);

      const found = await request(stack.app.url)
        .get(`${API}/transfers`)
        .query({ reference })
        .set(stack.viewer)
        .expect(200);
      expect(found.body.items).toEqual([
        expect.objectContaining({
          id: single.body.id,
          reference,
          code: expect.stringMatching(/^USDT_00[24]$/),
        }),
      ]);

      const item = await request(stack.app.url)
        .get(`${API}/transfers`)
        .query({ batchId: batch.body.batchId, reference: `${reference}-b` })
        .set(stack.viewer)
        .expect(200);
      expect((item.body.items as Array<{ id: string }>).map((t) => t.id)).toEqual([batchItems[1].id]);

      const confirmed = await waitForStatus(stack, single.body.id as string, ['confirmed', 'failed']);
      expect(confirmed).toMatchObject({ status: 'confirmed', code: 'USDT_004' });
      const one = await request(stack.app.url)
        .get(`${API}/transfers/${single.body.id as string}`)
        .set(stack.viewer)
        .expect(200);
      expect(one.body.code).toBe('USDT_004');
    });

    it('shows USDT_001 for a transfer that ended without paying (cancelled)', async () => {
      const held = await post('/transfer', { to: hotWalletLookalike(), amount: '1' }).expect(202);
      const cancelled = await request(stack.app.url)
        .post(`${API}/transfers/${held.body.id as string}/cancel`)
        .set(stack.operator)
        .send({ reason: 'wrong address' })
        .expect(200);
      expect(cancelled.body).toMatchObject({ status: 'cancelled', code: 'USDT_001' });
    });

    it('filters by creation time under names no one takes for an address, and names the rename', async () => {
      const reference = `WINDOW-${process.pid}-${Date.now()}`;
      const created = await post('/transfer', { to: freshAddress(), amount: '1', reference }).expect(202);
      const list = (query: Record<string, string>) =>
        request(stack.app.url)
          .get(`${API}/transfers`)
          .query({ reference, ...query })
          .set(stack.viewer);
      const past = new Date(Date.now() - 60_000).toISOString();
      const future = new Date(Date.now() + 60_000).toISOString();
      expect((await list({ createdFrom: past }).expect(200)).body.items).toHaveLength(1);
      expect((await list({ createdFrom: future }).expect(200)).body.items).toHaveLength(0);
      expect((await list({ createdBefore: past }).expect(200)).body.items).toHaveLength(0);
      expect((await list({ createdBefore: future }).expect(200)).body.items[0].id).toBe(created.body.id);

      const old = await list({ from: stack.hotWallet }).expect(400);
      expect(old.body.error).toMatchObject({
        code: 'USDT_ERR_105',
        details: [{ field: 'from', message: expect.stringContaining('renamed createdFrom') }],
      });
      const until = await list({ until: future }).expect(400);
      expect(until.body.error.details[0].message).toContain('renamed createdBefore');
    });

    it('documents the reference filter and the renamed time filters in the OpenAPI document', async () => {
      const doc = (await request(stack.app.url).get('/docs-json').expect(200)).body as {
        paths: Record<string, { get?: { parameters?: Array<{ name: string }> } }>;
      };
      const names = (doc.paths[`${API}/transfers`].get?.parameters ?? []).map((p) => p.name);
      expect(names).toEqual(expect.arrayContaining(['reference', 'createdFrom', 'createdBefore']));
      expect(names).not.toContain('from');
      expect(names).not.toContain('until');
    });
  });
});
