import request from 'supertest';

import { countUsdtTransfersTo } from '../support/chain-checks';
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

/** Batches reaching 30 USDT need two admins; single items stay under the 50 USDT high-value threshold. */
const policyFile = writePolicyFile((doc) => {
  doc.approvals.workflows.high_value = { threshold: '50', quorum: 2 };
  doc.approvals.workflows.batch_transfer = { threshold: '30', quorum: 2 };
});

interface BatchItemView {
  id: string;
  status: string;
  batchId: string;
  to: string;
  approval: { workflow: string; quorum: number; votes: Array<{ by: string }> };
}

describe('batch payouts (devnet + embedded engine)', () => {
  let stack: PaymentStack;
  const admin2 = bearer(tokenFor('admin', { sub: 'admin-2' }));
  const postBatch = (key: string, body: object) =>
    request(stack.app.url)
      .post(`${API}/transfers/batch`)
      .set(stack.operator)
      .set('Idempotency-Key', key)
      .send(body);

  beforeAll(async () => {
    stack = await startPaymentStack({ env: { POLICY_FILE: policyFile } });
  });

  afterAll(async () => {
    await stack?.close();
  });

  it('pays a small batch item by item, and replays it for the same key', async () => {
    const items = [
      { to: freshAddress(), amount: '1.5', reference: 'payroll-1' },
      { to: freshAddress(), amount: '2' },
      { to: freshAddress(), amount: '3.25' },
    ];
    const res = await postBatch('batch-small-0001', { items }).expect(202);
    expect(res.body).toMatchObject({ code: 'USDT_002', count: 3, total: '6.75', totalRaw: '6750000' });
    const views = res.body.items as BatchItemView[];
    expect(views.map((v) => v.to)).toEqual(items.map((i) => i.to));
    expect(new Set(views.map((v) => v.batchId)).size).toBe(1);
    expect(views.every((v) => v.status === 'approved' && v.approval.workflow === 'default')).toBe(true);

    const replay = await postBatch('batch-small-0001', { items }).expect(200);
    expect(replay.body.code).toBe('USDT_005');
    expect((replay.body.items as BatchItemView[]).map((v) => v.id)).toEqual(views.map((v) => v.id));
    const reused = await postBatch('batch-small-0001', { items: items.slice(1) }).expect(409);
    expect(reused.body.error.code).toBe('USDT_ERR_106');

    for (const view of views) {
      expect((await waitForStatus(stack, view.id, ['confirmed', 'failed'])).status).toBe('confirmed');
    }
    expect(await usdtBalanceOf(stack, items[2].to)).toBe(3_250_000n);
    const listed = await request(stack.app.url)
      .get(`${API}/transfers`)
      .query({ batchId: views[0].batchId })
      .set(stack.viewer)
      .expect(200);
    expect(listed.body.items).toHaveLength(3);
  });

  it('refuses a batch with a bad item as a whole, naming the item, and stores nothing', async () => {
    const res = await postBatch('batch-invalid-0001', {
      items: [
        { to: freshAddress(), amount: '1' },
        { to: 'TNotAnAddress', amount: '1' },
        { to: freshAddress(), amount: '1.1234567' },
      ],
    }).expect(400);
    const fields = (res.body.error.details as Array<{ field: string }>).map((d) => d.field);
    expect(fields).toEqual(expect.arrayContaining([expect.stringContaining('items.1.to')]));
    expect(fields).toEqual(expect.arrayContaining([expect.stringContaining('items.2.amount')]));
    const empty = await postBatch('batch-empty-00001', { items: [] }).expect(400);
    expect(empty.body.error.code).toBe('USDT_ERR_100');
    // Nothing from the refused batch was stored.
    const all = await request(stack.app.url).get(`${API}/transfers`).query({ limit: 200 }).set(stack.viewer);
    expect((all.body.items as Array<{ reference: string | null }>).length).toBe(3);
  });

  it('holds a batch at the batch threshold as a whole: two admins approve it once, and every item pays once', async () => {
    const items = Array.from({ length: 3 }, () => ({ to: freshAddress(), amount: '10' }));
    const res = await postBatch('batch-large-0001', { items }).expect(202);
    expect(res.body.code).toBe('USDT_003');
    const views = res.body.items as BatchItemView[];
    for (const view of views) {
      expect(view).toMatchObject({
        status: 'pending_approval',
        approval: { workflow: 'batch_transfer', quorum: 2 },
      });
    }

    // One vote on any item is a vote on the batch.
    const first = await request(stack.app.url)
      .post(`${API}/approvals/${views[1].id}/approve`)
      .set(stack.admin)
      .send({ comment: 'payroll checked' })
      .expect(200);
    expect(first.body.status).toBe('pending_approval');
    const queue = await request(stack.app.url)
      .get(`${API}/approvals`)
      .query({ batchId: views[0].batchId })
      .set(stack.admin)
      .expect(200);
    for (const item of queue.body.items as BatchItemView[]) {
      expect(item.approval.votes.map((v) => v.by)).toEqual(['admin-1']);
    }
    const again = await request(stack.app.url)
      .post(`${API}/approvals/${views[0].id}/approve`)
      .set(stack.admin)
      .send({});
    expect(again.status).toBe(409);

    await request(stack.app.url)
      .post(`${API}/approvals/${views[2].id}/approve`)
      .set(admin2)
      .send({})
      .expect(200);
    for (const view of views) {
      expect((await waitForStatus(stack, view.id, ['confirmed', 'failed'])).status).toBe('confirmed');
    }
    for (const item of items) {
      expect(await countUsdtTransfersTo(stack.devnet.url, stack.devnet.info.usdt.address, item.to)).toBe(1);
    }
  });
});
