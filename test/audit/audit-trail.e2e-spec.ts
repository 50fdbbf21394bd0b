import { getConnectionToken } from '@nestjs/mongoose';
import { getToken } from '@willsoto/nestjs-prometheus';
import type { Connection } from 'mongoose';
import type { Counter } from 'prom-client';
import request from 'supertest';

import type { AuditTrail } from '@app/audit';

import {
  FAST_PIPELINE_ENV,
  freshAddress,
  PaymentStack,
  startPaymentStack,
  waitForStatus,
} from '../support/payment-stack';
import { startTestApp, TestApp } from '../support/test-app';
import { bearer, TEST_JWT_SECRET, tokenFor } from '../support/tokens';

const API = '/api/v1/tron/usdt';
const AUDIT = `${API}/audit`;

interface RawRecord {
  seq: number;
  action: string;
  subject?: { type: string; id: string };
  actor: { id: string; roles: string[]; ip?: string; requestId?: string };
  before?: string;
  after?: string;
  details?: string;
  prevHash: string;
  hash: string;
}

interface ItemView {
  seq: number;
  at: string;
  action: string;
  subject?: { type: string; id: string };
  actor: RawRecord['actor'];
  before?: unknown;
  after?: unknown;
  details?: unknown;
}

/**
 * The audit chain in the real app: two instances share one database (the embedded engine), and a devnet
 * carries transfers so that their state changes are audited too.
 */
describe('the tamper-evident audit log (two app instances, one embedded engine, devnet)', () => {
  let stack: PaymentStack;
  let second: TestApp;
  let trails: AuditTrail[];
  let connection: Connection;

  const admin = () => stack.admin;
  const rawRecords = async () =>
    (await connection
      .collection('audit_log')
      .find({}, { projection: { _id: 0 } })
      .sort({ seq: 1 })
      .toArray()) as unknown as RawRecord[];
  const verify = async () =>
    (await request(stack.app.url).get(`${AUDIT}/verify`).set(admin()).expect(200)).body as Record<
      string,
      unknown
    >;
  /** Both in-process instances register their counters in prom-client's one default registry. */
  const conflictCount = async () => {
    const metric = stack.app.app.get<Counter<string>>(getToken('usdt_audit_append_conflicts_total'));
    return (await metric.get()).values.reduce((sum, v) => sum + v.value, 0);
  };
  const list = async (query: Record<string, string | number>) =>
    (await request(stack.app.url).get(AUDIT).query(query).set(admin()).expect(200)).body as {
      items: ItemView[];
      nextCursor?: string;
    };

  beforeAll(async () => {
    stack = await startPaymentStack();
    second = await startTestApp({
      env: {
        MONGODB_URI: stack.db.uri,
        MONGODB_DATABASE: 'payments',
        TRON_FULL_HOST: stack.devnet.url,
        USDT_CONTRACT_ADDRESS: stack.devnet.info.usdt.address,
        ...FAST_PIPELINE_ENV,
      },
    });
    const { AuditTrail: AuditTrailToken } = await import('@app/audit');
    trails = [stack.app.app.get(AuditTrailToken), second.app.get(AuditTrailToken)];
    connection = stack.app.app.get<Connection>(getConnectionToken());
  });

  afterAll(async () => {
    await second?.close();
    await stack?.close();
  });

  it('keeps one contiguous, verifiable chain under 100 concurrent records from two instances', async () => {
    const before = (await rawRecords()).length;
    const conflictsBefore = await conflictCount();
    // Ten rounds of ten concurrent records, five per instance: each instance stores what waits in one insert,
    // so after a round in which both wrote, one of them holds a stale head and must meet the other's records.
    for (let round = 0; round < 10; round++) {
      await Promise.all(
        Array.from({ length: 10 }, (_, k) => {
          const i = round * 10 + k;
          return trails[i % 2].record({
            action: 'test.concurrent',
            subject: { type: 'probe', id: `c-${i}` },
            actor: { id: `system:instance-${i % 2}`, roles: [] },
            details: { i, amountRaw: BigInt(i) * 1_000_000n },
          });
        }),
      );
    }

    const records = await rawRecords();
    expect(records).toHaveLength(before + 100);
    expect(records.map((r) => r.seq)).toEqual(records.map((_, i) => i + 1));
    const ids = records.filter((r) => r.action === 'test.concurrent').map((r) => r.subject?.id);
    expect(new Set(ids).size).toBe(100);
    expect(ids).toHaveLength(100);
    for (let i = 1; i < records.length; i++) expect(records[i].prevHash).toBe(records[i - 1].hash);
    const writers = records.filter((r) => r.action === 'test.concurrent').map((r) => r.actor.id);
    expect(new Set(writers)).toEqual(new Set(['system:instance-0', 'system:instance-1']));
    // The instances really raced: at least one append found its seq taken by the other and tried again.
    expect(await conflictCount()).toBeGreaterThan(conflictsBefore);
    expect(JSON.parse(records.find((r) => r.subject?.id === 'c-7')?.details ?? '')).toEqual({
      amountRaw: '7000000',
      i: 7,
    });

    expect(await verify()).toEqual({
      ok: true,
      records: records.length,
      lastSeq: records.length,
      lastHash: records[records.length - 1].hash,
    });
  });

  describe('GET /audit', () => {
    let t0: Date;
    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    beforeAll(async () => {
      await pause(5);
      t0 = new Date();
      await pause(5);
      for (let i = 0; i < 7; i++) {
        await trails[i % 2].record({
          action: i % 2 ? 'test.odd' : 'test.even',
          subject: { type: 'widget', id: `w-${i % 3}` },
          actor: { id: i < 4 ? 'alice' : 'bob', roles: ['admin'] },
          after: { i },
        });
      }
    });

    it('lists newest first and filters by action, actor, subject and time', async () => {
      const all = await list({ action: 'test.even' });
      expect(all.items.map((r) => (r.after as { i: number }).i)).toEqual([6, 4, 2, 0]);
      expect(all.nextCursor).toBeUndefined();
      expect(all.items[0]).toEqual({
        seq: expect.any(Number),
        at: expect.any(String),
        action: 'test.even',
        subject: { type: 'widget', id: 'w-0' },
        actor: { id: 'bob', roles: ['admin'] },
        after: { i: 6 },
        prevHash: expect.stringMatching(/^[0-9a-f]{64}$/),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const seqs = all.items.map((r) => r.seq);
      expect([...seqs].sort((a, b) => b - a)).toEqual(seqs);

      expect((await list({ actorId: 'bob' })).items.map((r) => (r.after as { i: number }).i)).toEqual([
        6, 5, 4,
      ]);
      expect(
        (await list({ subjectType: 'widget', subjectId: 'w-1' })).items.map(
          (r) => (r.after as { i: number }).i,
        ),
      ).toEqual([4, 1]);
      expect((await list({ subjectType: 'probe', limit: 200 })).items).toHaveLength(100);
      expect((await list({ subjectType: 'probe', from: t0.toISOString() })).items).toHaveLength(0);
      expect((await list({ subjectType: 'probe', until: t0.toISOString(), limit: 200 })).items).toHaveLength(
        100,
      );
      expect((await list({ actorId: 'alice', from: t0.toISOString() })).items).toHaveLength(4);
      expect((await list({ actorId: 'alice', until: t0.toISOString() })).items).toHaveLength(0);
      expect((await list({ action: 'test.odd', actorId: 'alice' })).items).toHaveLength(2);
    });

    it('pages with nextCursor until the last page, without gaps or repeats', async () => {
      const everything = await list({ subjectType: 'probe', limit: 200 });
      const seen: number[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list({ subjectType: 'probe', limit: 30, ...(cursor && { cursor }) });
        expect(page.items.length).toBeLessThanOrEqual(30);
        seen.push(...page.items.map((r) => r.seq));
        cursor = page.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(4);
      expect(seen).toEqual(everything.items.map((r) => r.seq));
    });

    it.each([
      ['limit=0', { limit: 0 }],
      ['limit=201', { limit: 201 }],
      ['a cursor it never returned', { cursor: 'abc' }],
      ['a bad date', { from: 'yesterday' }],
      ['an unknown filter', { mood: 'grumpy' }],
    ])('answers 400 USDT_ERR_105 for %s', async (_name, query) => {
      const res = await request(stack.app.url).get(AUDIT).query(query).set(admin()).expect(400);
      expect(res.body.error.code).toBe('USDT_ERR_105');
    });

    it('is for admins only: 403 for viewer and operator, 401 without a token', async () => {
      for (const path of [AUDIT, `${AUDIT}/verify`]) {
        for (const who of [stack.viewer, stack.operator]) {
          const res = await request(stack.app.url).get(path).set(who).expect(403);
          expect(res.body.error.code).toBe('USDT_ERR_501');
        }
        const res = await request(stack.app.url).get(path).expect(401);
        expect(res.body.error.code).toBe('USDT_ERR_500');
      }
    });
  });

  it('records an admin change made over HTTP with the caller, roles, IP and request id, and no secrets', async () => {
    const adminToken = tokenFor('admin', { sub: 'audit-admin' });
    const current = await request(stack.app.url).get(`${API}/policies`).set(bearer(adminToken)).expect(200);
    await request(stack.app.url)
      .put(`${API}/policies`)
      .set(bearer(adminToken))
      .set('X-Request-Id', 'audit-e2e-policies-1')
      .send(current.body.policies)
      .expect(200);

    const page = await list({ action: 'policies.replace', actorId: 'audit-admin' });
    expect(page.items).toHaveLength(1);
    expect(page.items[0].actor).toEqual({
      id: 'audit-admin',
      roles: ['admin'],
      ip: expect.stringMatching(/127\.0\.0\.1|::1/),
      requestId: 'audit-e2e-policies-1',
    });
    expect(page.items[0].after).toEqual(expect.any(Object));

    // Secrets handed to the trail directly are not stored either.
    const hotKey = stack.devnet.info.accounts[1].privateKey;
    await trails[1].record({
      action: 'test.secrets',
      details: { privateKey: hotKey, nested: { authorization: `Bearer ${adminToken}` }, note: adminToken },
    });

    const raw = JSON.stringify(await rawRecords());
    expect(raw).toContain('audit-e2e-policies-1');
    for (const secret of [TEST_JWT_SECRET, adminToken, hotKey]) expect(raw).not.toContain(secret);
    for (const headers of [stack.admin, stack.operator, stack.viewer]) {
      expect(raw).not.toContain(headers.Authorization.replace('Bearer ', ''));
    }
    expect((await verify()).ok).toBe(true);
  });

  it('audits every state change of a transfer, the request by its caller and the rest by the pipeline', async () => {
    const res = await request(stack.app.url)
      .post(`${API}/transfer`)
      .set(stack.operator)
      .set('Idempotency-Key', 'audit-transfer-0001')
      .set('X-Request-Id', 'audit-e2e-transfer-1')
      .send({ to: freshAddress(), amount: '1.5' });
    if (res.status !== 202) throw new Error(`transfer refused: ${res.status} ${JSON.stringify(res.body)}`);
    const id = res.body.id as string;
    const done = await waitForStatus(stack, id, ['confirmed', 'failed']);
    expect(done.status).toBe('confirmed');

    let items: ItemView[] = [];
    const deadline = Date.now() + 10_000;
    while (Date.now() < deadline) {
      items = (await list({ subjectType: 'transfer', subjectId: id })).items.reverse();
      if (items.some((r) => r.action === 'transfer.confirmed')) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    const statuses = (done.history as Array<{ status: string }>).map((h) => h.status);
    expect(items.map((r) => r.action)).toEqual(statuses.map((s) => `transfer.${s}`));
    expect(items[0]).toMatchObject({
      actor: { id: 'operator-1', roles: ['operator'], requestId: 'audit-e2e-transfer-1' },
      before: {},
      after: { status: res.body.status, amount: '1.5', to: res.body.to, wallet: stack.hotWallet },
    });
    const last = items[items.length - 1];
    expect(last).toMatchObject({
      actor: { id: 'system:pipeline', roles: [] },
      before: { status: statuses[statuses.length - 2] },
      after: { status: 'confirmed', txid: done.txid, amount: '1.5' },
    });
  });

  describe('tampering', () => {
    it('reports a record changed in the database as a hash mismatch at that seq', async () => {
      const records = await rawRecords();
      const k = records[Math.floor(records.length / 2)].seq;
      const audit = connection.collection('audit_log');
      const original = records[k - 1];

      await audit.updateOne({ seq: k }, { $set: { action: 'x' } });
      expect(await verify()).toEqual({
        ok: false,
        records: k - 1,
        firstBroken: { seq: k, reason: 'hash mismatch' },
      });

      await audit.updateOne({ seq: k }, { $set: { action: original.action } });
      expect((await verify()).ok).toBe(true);

      // One character of a payload.
      const withDetails = records.find((r) => r.details !== undefined && r.seq > 1) as RawRecord;
      const details = withDetails.details as string;
      const flipped = details.replace(/\d/, (d) => String((Number(d) + 1) % 10));
      expect(flipped).not.toBe(details);
      await audit.updateOne({ seq: withDetails.seq }, { $set: { details: flipped } });
      expect((await verify()).firstBroken).toEqual({ seq: withDetails.seq, reason: 'hash mismatch' });
      await audit.updateOne({ seq: withDetails.seq }, { $set: { details } });
      expect((await verify()).ok).toBe(true);
    });

    it('reports a deleted record as missing', async () => {
      const audit = connection.collection('audit_log');
      const victim = await audit.findOne({ seq: 42 });
      expect(victim).not.toBeNull();
      await audit.deleteOne({ seq: 42 });
      expect(await verify()).toEqual({
        ok: false,
        records: 41,
        firstBroken: { seq: 42, reason: 'missing record' },
      });
      await audit.insertOne(victim as NonNullable<typeof victim>);
      expect((await verify()).ok).toBe(true);
    });

    it('reports a rewritten record with a recomputed hash as a broken link after it', async () => {
      const audit = connection.collection('audit_log');
      const { recordHash } = await import('@app/audit/domain/audit-record');
      const [doc] = (await audit.find({ seq: 10 }, { projection: { _id: 0 } }).toArray()) as unknown as Array<
        RawRecord & { at: Date }
      >;
      const forged = { ...doc, action: 'forged' };
      await audit.updateOne({ seq: 10 }, { $set: { action: 'forged', hash: recordHash(forged) } });
      expect((await verify()).firstBroken).toEqual({ seq: 11, reason: 'prevHash mismatch' });
      await audit.updateOne({ seq: 10 }, { $set: { action: doc.action, hash: doc.hash } });
      expect((await verify()).ok).toBe(true);
    });
  });
});
