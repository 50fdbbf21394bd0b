import request from 'supertest';

import { ExpireApprovals } from '@app/approvals';

import { countUsdtTransfersTo, recordBroadcasts } from '../support/chain-checks';
import {
  freshAddress,
  PaymentStack,
  startPaymentStack,
  usdtBalanceOf,
  waitForStatus,
} from '../support/payment-stack';
import { writePolicyFile } from '../support/policy-file';
import { bearer, tokenFor } from '../support/tokens';

const API = '/api/v1/tron/usdt';

/** Threshold 50 USDT, two approving admins, and a wallet day of 500 USDT, so releases are visible. */
const policyFile = writePolicyFile((doc) => {
  doc.approvals.workflows.high_value = { threshold: '50', quorum: 2 };
  doc.limits.walletDaily = '500';
});

describe('approvals and the emergency stop (devnet + embedded engine)', () => {
  let stack: PaymentStack;
  const admin2 = bearer(tokenFor('admin', { sub: 'admin-2' }));
  const admin3 = bearer(tokenFor('admin', { sub: 'admin-3' }));
  // An admin may also request transfers: then they may not approve their own.
  const adminRequester = bearer(tokenFor('admin', { sub: 'admin-requester' }));
  let keySeq = 0;

  const requestTransfer = (to: string, amount: string, as = stack.operator) =>
    request(stack.app.url)
      .post(`${API}/transfer`)
      .set(as)
      .set('Idempotency-Key', `governance-${process.pid}-${++keySeq}`)
      .send({ to, amount });
  const vote = (id: string, decision: 'approve' | 'reject', as: Record<string, string>, comment?: string) =>
    request(stack.app.url)
      .post(`${API}/approvals/${id}/${decision}`)
      .set(as)
      .send(comment ? { comment } : {});

  beforeAll(async () => {
    stack = await startPaymentStack({ env: { POLICY_FILE: policyFile } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('sends a transfer below the threshold straight through', async () => {
    const to = freshAddress();
    const res = await requestTransfer(to, '10').expect(202);
    expect(res.body).toMatchObject({
      code: 'USDT_002',
      status: 'approved',
      approval: { workflow: 'default', quorum: 0, votes: [] },
    });
    expect((await waitForStatus(stack, res.body.id, ['confirmed', 'failed'])).status).toBe('confirmed');
    expect(await usdtBalanceOf(stack, to)).toBe(10_000_000n);
  });

  it('holds one at the threshold until two distinct admins other than the requester approve, then pays it', async () => {
    const to = freshAddress();
    const held = await requestTransfer(to, '50', adminRequester).expect(202);
    expect(held.body).toMatchObject({
      code: 'USDT_003',
      status: 'pending_approval',
      approval: { workflow: 'high_value', quorum: 2, votes: [] },
    });
    const id = held.body.id as string;

    const queue = await request(stack.app.url).get(`${API}/approvals`).set(stack.admin).expect(200);
    expect((queue.body.items as Array<{ id: string }>).map((t) => t.id)).toContain(id);

    const own = await vote(id, 'approve', adminRequester).expect(403);
    expect(own.body.error.code).toBe('USDT_ERR_501');

    const first = await vote(id, 'approve', stack.admin, 'checked the invoice').expect(200);
    expect(first.body).toMatchObject({ status: 'pending_approval' });
    expect(first.body.approval.votes).toEqual([
      expect.objectContaining({ by: 'admin-1', decision: 'approve', comment: 'checked the invoice' }),
    ]);
    const twice = await vote(id, 'approve', stack.admin).expect(409);
    expect(twice.body.error.code).toBe('USDT_ERR_203');
    // One admin is not enough: nothing was signed. (That the pipeline never claims a transfer awaiting
    // approval is proven without waiting in transfer-worker.spec.ts.)
    const waiting = await request(stack.app.url).get(`${API}/transfers/${id}`).set(stack.viewer).expect(200);
    expect(waiting.body).toMatchObject({ status: 'pending_approval', txid: null });

    const second = await vote(id, 'approve', admin2).expect(200);
    expect(second.body.status).toBe('approved');
    const done = await waitForStatus(stack, id, ['confirmed', 'failed']);
    expect(done.status).toBe('confirmed');
    expect((done.approval as { votes: Array<{ by: string }> }).votes.map((v) => v.by)).toEqual([
      'admin-1',
      'admin-2',
    ]);
    expect(await usdtBalanceOf(stack, to)).toBe(50_000_000n);

    const late = await vote(id, 'approve', admin3).expect(409);
    expect(late.body.error.code).toBe('USDT_ERR_203');
  });

  it('never sends a rejected transfer and gives its limits back', async () => {
    // 60 of the 500 wallet-day limit are used by the tests above; this one takes 80 more.
    const to = freshAddress();
    const held = await requestTransfer(to, '80').expect(202);
    const id = held.body.id as string;
    const squeezed = await requestTransfer(freshAddress(), '400').expect(422);
    expect(squeezed.body.error).toMatchObject({
      code: 'USDT_ERR_701',
      details: [expect.objectContaining({ limit: 'wallet_daily', value: '500', remaining: '360' })],
    });

    const rejected = await vote(id, 'reject', stack.admin, 'unknown beneficiary').expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', txid: null });
    const again = await vote(id, 'approve', admin2).expect(409);
    expect(again.body.error.code).toBe('USDT_ERR_203');

    // Its 80 are free again: 400 now fits (and waits for approval; rejected too, to free the day again).
    const fits = await requestTransfer(freshAddress(), '400').expect(202);
    expect(fits.body.status).toBe('pending_approval');
    await vote(fits.body.id as string, 'reject', admin2, 'only checking the limit').expect(200);
    expect(await countUsdtTransfersTo(stack.devnet.url, stack.devnet.info.usdt.address, to)).toBe(0);
  });

  it('expires an approval nobody decided in time and gives its limits back', async () => {
    // 60 of the 500 wallet-day limit are used by the tests above; this one holds 60 more.
    const held = await requestTransfer(freshAddress(), '60').expect(202);
    const id = held.body.id as string;
    const squeezed = await requestTransfer(freshAddress(), '400').expect(422);
    expect(squeezed.body.error.details).toEqual([
      expect.objectContaining({ limit: 'wallet_daily', remaining: '380' }),
    ]);
    const expiresAt = new Date(held.body.approval.expiresAt as string).getTime();
    // The sweeper runs on a timer; here it is asked directly as if that time had come.
    const expired = await stack.app.app.get(ExpireApprovals).sweep(new Date(expiresAt + 1000));
    expect(expired).toBeGreaterThanOrEqual(1);
    const after = await request(stack.app.url).get(`${API}/transfers/${id}`).set(stack.viewer).expect(200);
    expect(after.body.status).toBe('expired');
    const late = await vote(id, 'approve', admin2).expect(409);
    expect(late.body.error.code).toBe('USDT_ERR_203');

    // Its 60 are free again: 400 now fits (held for approval; rejected, to free the day again).
    const fits = await requestTransfer(freshAddress(), '400').expect(202);
    await vote(fits.body.id as string, 'reject', admin2, 'only checking the limit').expect(200);
  });

  it('signs nothing while stopped, needs two admins to resume, then pays every queued transfer exactly once', async () => {
    // Four held transfers, approved while stopped: queued for signing, and nothing may sign them.
    const recipients = Array.from({ length: 4 }, () => freshAddress());
    const ids: string[] = [];
    for (const to of recipients) ids.push((await requestTransfer(to, '50').expect(202)).body.id as string);
    const broadcasts = recordBroadcasts(stack.devnet.chain);
    try {
      await request(stack.app.url)
        .post(`${API}/admin/emergency-stop`)
        .set(stack.admin)
        .send({ reason: 'suspected key compromise' })
        .expect(200);
      for (const id of ids) {
        await vote(id, 'approve', stack.admin).expect(200);
        expect((await vote(id, 'approve', admin2).expect(200)).body.status).toBe('approved');
      }
      const sentAtStop = broadcasts.all().length;

      const refused = await requestTransfer(freshAddress(), '1').expect(503);
      expect(refused.body.error.code).toBe('USDT_ERR_703');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);

      const status = await request(stack.app.url).get('/status').expect(200);
      expect(status.body.emergencyStop).toMatchObject({ active: true });
      const metrics = await request(stack.app.url).get('/metrics').expect(200);
      expect(metrics.text).toMatch(/^usdt_emergency_stop_active 1$/m);
      await request(stack.app.url).get('/health/ready').expect(200);

      await new Promise((r) => setTimeout(r, 2000));
      expect(broadcasts.all().length).toBe(sentAtStop);
      for (const id of ids) {
        const queued = await request(stack.app.url)
          .get(`${API}/transfers/${id}`)
          .set(stack.viewer)
          .expect(200);
        expect(queued.body).toMatchObject({ status: 'approved', txid: null });
      }

      const firstResume = await request(stack.app.url)
        .post(`${API}/admin/resume`)
        .set(stack.admin)
        .send({ comment: 'keys rotated' })
        .expect(200);
      expect(firstResume.body).toMatchObject({ active: true, resumed: false, votesNeeded: 1 });
      const sameAdmin = await request(stack.app.url)
        .post(`${API}/admin/resume`)
        .set(stack.admin)
        .send({})
        .expect(409);
      expect(sameAdmin.body.error.code).toBe('USDT_ERR_203');
      // Still stopped (active above), so still nothing claimed: transfer-worker.spec.ts, without a wait.
      expect(broadcasts.all().length).toBe(sentAtStop);

      const resumed = await request(stack.app.url)
        .post(`${API}/admin/resume`)
        .set(admin2)
        .send({})
        .expect(200);
      expect(resumed.body).toMatchObject({ active: false, resumed: true, votesNeeded: 0 });

      for (const id of ids)
        expect((await waitForStatus(stack, id, ['confirmed', 'failed'])).status).toBe('confirmed');
      for (const to of recipients) {
        expect(await countUsdtTransfersTo(stack.devnet.url, stack.devnet.info.usdt.address, to)).toBe(1);
        expect(await usdtBalanceOf(stack, to)).toBe(50_000_000n);
      }
      const metricsAfter = await request(stack.app.url).get('/metrics').expect(200);
      expect(metricsAfter.text).toMatch(/^usdt_emergency_stop_active 0$/m);
    } finally {
      broadcasts.restore();
    }
  });

  it('blocks a blocklisted destination with USDT_ERR_702 without saying why, and audits the reason', async () => {
    const to = freshAddress();
    await request(stack.app.url)
      .post(`${API}/compliance/screening`)
      .set(stack.admin)
      .send({ list: 'block', entries: [{ address: to, reason: 'sanctions list 2026-11' }], source: 'ofac' })
      .expect(200);
    const res = await requestTransfer(to, '5').expect(422);
    expect(res.body.error.code).toBe('USDT_ERR_702');
    expect(JSON.stringify(res.body)).not.toContain('sanctions');
    const listed = await request(stack.app.url)
      .get(`${API}/transfers`)
      .query({ to })
      .set(stack.viewer)
      .expect(200);
    expect(listed.body.items).toEqual([]);
    const audit = await request(stack.app.url)
      .get(`${API}/audit`)
      .query({ action: 'compliance.blocked' })
      .set(stack.admin)
      .expect(200);
    expect(JSON.stringify(audit.body.items)).toContain('sanctions list 2026-11');
  });

  it('keeps the approval queue and the emergency controls to admins', async () => {
    await request(stack.app.url).get(`${API}/approvals`).set(stack.operator).expect(403);
    await request(stack.app.url)
      .post(`${API}/admin/emergency-stop`)
      .set(stack.operator)
      .send({ reason: 'not mine to press' })
      .expect(403);
    const state = await request(stack.app.url)
      .get(`${API}/admin/emergency-stop`)
      .set(stack.admin)
      .expect(200);
    expect(state.body.active).toBe(false);
  });

  it('leaves an audit chain that verifies after the whole run, holding every decision', async () => {
    const verify = await request(stack.app.url).get(`${API}/audit/verify`).set(stack.admin).expect(200);
    expect(verify.body).toMatchObject({ ok: true });
    expect(verify.body.records).toBeGreaterThan(20);
    for (const action of [
      'approval.approve',
      'approval.reject',
      'approval.expired',
      'emergency.stop',
      'emergency.resume',
      'transfer.confirmed',
    ]) {
      const page = await request(stack.app.url)
        .get(`${API}/audit`)
        .query({ action })
        .set(stack.admin)
        .expect(200);
      expect(page.body.items.length).toBeGreaterThan(0);
    }
  });
});
