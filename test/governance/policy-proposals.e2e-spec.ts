import { MongoClient } from 'mongodb';
import request from 'supertest';

import { freshAddress, PaymentStack, startPaymentStack } from '../support/payment-stack';
import { PolicyDoc, writePolicyFile } from '../support/policy-file';
import { bearer, tokenFor } from '../support/tokens';

const API = '/api/v1/tron/usdt';

/** Shipped policies (policy_change quorum 2) with a single-payout limit of 100 USDT and no rules in the way. */
function basePolicies(doc: PolicyDoc): void {
  for (const rule of Object.keys(doc.monitoring)) doc.monitoring[rule].enabled = false;
  doc.screening.contractBlacklist = false;
  doc.limits.singleMax = '100';
}
const policyFile = writePolicyFile(basePolicies);

describe('four-eyes policy changes (devnet + embedded engine)', () => {
  let stack: PaymentStack;
  let mongo: MongoClient;
  let keySeq = 0;
  const admin1 = bearer(tokenFor('admin', { sub: 'policy-admin-1' }));
  const admin2 = bearer(tokenFor('admin', { sub: 'policy-admin-2' }));
  const admin3 = bearer(tokenFor('admin', { sub: 'policy-admin-3' }));

  const inForce = async () =>
    (await request(stack.app.url).get(`${API}/policies`).set(stack.viewer).expect(200)).body as {
      revision: number;
      proposalId?: string;
      approvedBy?: string[];
      policies: PolicyDoc;
    };
  /** The policies in force with `edit` applied: what an admin would PUT. */
  const edited = async (edit: (doc: PolicyDoc) => void) => {
    const doc = (await inForce()).policies;
    edit(doc);
    return doc;
  };
  const put = (doc: PolicyDoc, as: Record<string, string>) =>
    request(stack.app.url).put(`${API}/policies`).set(as).send(doc);
  const vote = (id: string, decision: 'approve' | 'reject', as: Record<string, string>, body: object = {}) =>
    request(stack.app.url).post(`${API}/policies/proposals/${id}/${decision}`).set(as).send(body);
  const pay = (amount: string) =>
    request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', `policy-proposals-${process.pid}-${++keySeq}`)
      .send({ to: freshAddress(), amount });
  const audit = async (action: string) =>
    (await request(stack.app.url).get(`${API}/audit`).query({ action }).set(stack.admin).expect(200)).body
      .items as Array<{ subject: { id: string }; actor: { id: string }; details?: Record<string, unknown> }>;

  beforeAll(async () => {
    stack = await startPaymentStack({ env: { POLICY_FILE: policyFile, APPROVAL_SWEEP_INTERVAL_MS: '200' } });
    mongo = await MongoClient.connect(stack.db.uri);
  });

  afterAll(async () => {
    await mongo?.close();
    await stack?.close();
  });

  it('keeps a change by one admin out of force until a second admin approves it', async () => {
    await pay('150').expect(422); // over singleMax 100
    const proposed = await put(await edited((doc) => (doc.limits.singleMax = '1000')), admin1).expect(202);
    expect(proposed.body).toMatchObject({
      status: 'pending',
      baseRevision: 0,
      proposedBy: 'policy-admin-1',
      quorum: 2,
      votesNeeded: 1,
      votes: [{ by: 'policy-admin-1', decision: 'approve' }],
      appliedRevision: null,
    });
    const id = proposed.body.id as string;

    expect((await inForce()).revision).toBe(0);
    expect((await pay('150').expect(422)).body.error.code).toBe('USDT_ERR_701');

    const own = await vote(id, 'approve', admin1).expect(409);
    expect(own.body.error).toMatchObject({
      code: 'USDT_ERR_203',
      message: expect.stringContaining('another admin'),
    });

    const queue = await request(stack.app.url)
      .get(`${API}/policies/proposals`)
      .query({ status: 'pending' })
      .set(stack.admin)
      .expect(200);
    expect((queue.body.items as Array<{ id: string }>).map((p) => p.id)).toEqual([id]);

    const approved = await vote(id, 'approve', admin2, { comment: 'checked with finance' }).expect(200);
    expect(approved.body).toMatchObject({ status: 'applied', votesNeeded: 0, appliedRevision: 1 });
    expect(approved.body.votes).toHaveLength(2);

    const now = await inForce();
    expect(now).toMatchObject({
      revision: 1,
      proposalId: id,
      approvedBy: ['policy-admin-1', 'policy-admin-2'],
    });
    expect(now.policies.limits.singleMax).toBe('1000');
    await pay('150').expect(202);

    await vote(id, 'approve', admin3).expect(409);
    const [replaced] = await audit('policies.replace');
    expect(replaced).toMatchObject({
      subject: { id: 'revision-1' },
      actor: { id: 'policy-admin-2' },
      details: { proposalId: id, approvedBy: ['policy-admin-1', 'policy-admin-2'] },
    });
    expect((await audit('policies.propose')).map((r) => r.subject.id)).toContain(id);
    expect((await audit('policies.approve')).map((r) => r.subject.id)).toContain(id);
  });

  it('ends a proposal on one reject, which needs a comment, and never applies it', async () => {
    const before = await inForce();
    const proposed = await put(await edited((doc) => (doc.limits.singleMax = '5')), admin1).expect(202);
    const id = proposed.body.id as string;

    const bare = await vote(id, 'reject', admin2).expect(400);
    expect(bare.body.error).toMatchObject({ code: 'USDT_ERR_100', message: 'comment is required' });

    const rejected = await vote(id, 'reject', admin2, { comment: 'too tight for payroll' }).expect(200);
    expect(rejected.body).toMatchObject({ status: 'rejected', votesNeeded: 0 });
    await vote(id, 'approve', admin3).expect(409);
    expect((await inForce()).revision).toBe(before.revision);
    expect((await audit('policies.reject')).map((r) => r.subject.id)).toContain(id);
  });

  it('lets the proposer withdraw their proposal', async () => {
    const proposed = await put(await edited((doc) => (doc.limits.singleMax = '6')), admin1).expect(202);
    const withdrawn = await vote(proposed.body.id as string, 'reject', admin1, {
      comment: 'typo, withdrawn',
    }).expect(200);
    expect(withdrawn.body.status).toBe('rejected');
  });

  it('supersedes a proposal when another change was applied first, instead of applying it on top', async () => {
    const first = await put(await edited((doc) => (doc.limits.singleMax = '2000')), admin1).expect(202);
    const second = await put(await edited((doc) => (doc.limits.singleMax = '3000')), admin1).expect(202);
    const revision = (await inForce()).revision;
    await vote(first.body.id as string, 'approve', admin2).expect(200);

    const stale = await vote(second.body.id as string, 'approve', admin2).expect(409);
    expect(stale.body.error).toMatchObject({
      code: 'USDT_ERR_203',
      message: expect.stringContaining('superseded'),
    });
    const after = await request(stack.app.url)
      .get(`${API}/policies/proposals/${second.body.id as string}`)
      .set(stack.admin)
      .expect(200);
    expect(after.body.status).toBe('superseded');
    const now = await inForce();
    expect(now.revision).toBe(revision + 1);
    expect(now.policies.limits.singleMax).toBe('2000');
  });

  it('refuses a stale If-Match and an invalid document before proposing anything', async () => {
    const doc = await edited((d) => (d.limits.singleMax = '7'));
    const stale = await put(doc, admin1).set('If-Match', '0').expect(409);
    expect(stale.body.error.code).toBe('USDT_ERR_601');
    const invalid = await put({ ...doc, limits: { ...doc.limits, singleMax: 'lots' } }, admin1).expect(400);
    expect(invalid.body.error).toMatchObject({ code: 'USDT_ERR_100' });
    expect(invalid.body.error.details).toEqual(
      expect.arrayContaining([expect.objectContaining({ field: 'limits.singleMax' })]),
    );
    const pending = await request(stack.app.url)
      .get(`${API}/policies/proposals`)
      .query({ status: 'pending' })
      .set(stack.admin)
      .expect(200);
    expect(pending.body.items).toEqual([]);
  });

  it('expires a proposal nobody decided in time (the sweeper, audited once) and refuses votes on it', async () => {
    const proposed = await put(await edited((doc) => (doc.limits.singleMax = '8')), admin1).expect(202);
    const id = proposed.body.id as string;
    expect(new Date(proposed.body.expiresAt as string).getTime()).toBeGreaterThan(
      Date.now() + 23 * 3_600_000,
    );
    // Time passes: the stored expiry is moved into the past, as a day later.
    await mongo
      .db('payments')
      .collection<{ _id: string }>('policy_proposals')
      .updateOne({ _id: id }, { $set: { expiresAt: new Date(Date.now() - 1000) } });

    // The sweeper closes it without anyone reading it, and audits that once.
    const deadline = Date.now() + 10_000;
    while ((await audit('policies.expired')).length === 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const stored = await mongo
      .db('payments')
      .collection<{ _id: string; status: string }>('policy_proposals')
      .findOne({ _id: id });
    expect(stored?.status).toBe('expired');

    const listed = await request(stack.app.url).get(`${API}/policies/proposals`).set(stack.admin).expect(200);
    expect(
      (listed.body.items as Array<{ id: string; status: string }>).find((p) => p.id === id)?.status,
    ).toBe('expired');
    await vote(id, 'approve', admin2).expect(409);
    const expiredRecords = await audit('policies.expired');
    expect(expiredRecords).toHaveLength(1);
    const [expired] = expiredRecords;
    expect(expired).toMatchObject({ subject: { id }, actor: { id: 'system:policy-proposals' } });
  });

  it('applies a change at once when the policy-change quorum in force is 1, as before four-eyes', async () => {
    const toOne = await put(
      await edited((doc) => (doc.approvals.workflows.policy_change.quorum = 1)),
      admin1,
    ).expect(202);
    // Lowering the bar is itself a change that needs the bar in force: two admins.
    await vote(toOne.body.id as string, 'approve', admin2).expect(200);

    const revision = (await inForce()).revision;
    const direct = await put(await edited((doc) => (doc.limits.singleMax = '4000')), admin3).expect(200);
    expect(direct.body).toMatchObject({
      revision: revision + 1,
      source: 'database',
      updatedBy: 'policy-admin-3',
    });
    expect(direct.body.proposalId).toBeUndefined();
    expect(direct.body.policies.limits.singleMax).toBe('4000');
  });
});
