import request, { Response } from 'supertest';

import { freshAddress, PaymentStack, startPaymentStack, waitForStatus } from '../support/payment-stack';

const API = '/api/v1/tron/usdt';
/** The promise item 8 of issue 12 makes: every route answers within this while the database is hung. */
const ANSWER_BUDGET_MS = 5_000;

interface Timed {
  res: Response;
  ms: number;
}

async function timed(send: () => Promise<Response>): Promise<Timed> {
  const started = Date.now();
  const res = await send();
  return { res, ms: Date.now() - started };
}

function expectDatabaseUnavailable({ res, ms }: Timed): void {
  expect({ status: res.status, code: res.body?.error?.code, retryable: res.body?.error?.retryable }).toEqual({
    status: 503,
    code: 'USDT_ERR_600',
    retryable: true,
  });
  expect(res.headers['retry-after']).toBe('2');
  // One error shape, nothing of the driver in it (its messages name hosts, ports and timeouts).
  expect(JSON.stringify(res.body)).not.toMatch(/Mongo|socket|timed out|127\.0\.0\.1/i);
  expect(ms).toBeLessThan(ANSWER_BUDGET_MS);
}

/**
 * The database engine stops answering (SIGSTOP keeps its sockets open, the worst case for a client) and comes
 * back (SIGCONT), under the real app, the real driver and the real engine process.
 */
describe('database outage: a hung engine answers 503 USDT_ERR_600 within 5 s, then everything recovers', () => {
  let stack: PaymentStack;

  beforeAll(async () => {
    stack = await startPaymentStack();
  });

  afterAll(async () => {
    // Never leave a stopped engine behind, whatever failed.
    try {
      process.kill(stack.db.pid, 'SIGCONT');
    } catch {
      // already gone
    }
    await stack?.close();
  });

  it('answers every route 503 USDT_ERR_600 while the engine is stopped and recovers without a restart', async () => {
    const app = () => request(stack.app.url);
    const to = freshAddress();
    const key = 'outage-0001';
    const pay = () =>
      app()
        .post(`${API}/transfer`)
        .set(stack.operator)
        .set('Idempotency-Key', key)
        .send({ to, amount: '1.5', reference: 'outage-1' });
    await app().get('/health/ready').expect(200);

    process.kill(stack.db.pid, 'SIGSTOP');
    let stoppedAt = Date.now();
    try {
      const [read, money, adminRoute, wallets, ready] = await Promise.all([
        timed(() => app().get(`${API}/transfers`).set(stack.viewer)),
        timed(pay),
        timed(() => app().get(`${API}/audit`).set(stack.admin)),
        timed(() => app().get(`${API}/wallets`).set(stack.viewer)),
        timed(() => app().get('/health/ready')),
      ]);
      const times = {
        read: read.ms,
        money: money.ms,
        admin: adminRoute.ms,
        wallets: wallets.ms,
        ready: ready.ms,
      };
      process.stdout.write(`[database-outage] time to answer while hung (ms): ${JSON.stringify(times)}\n`);
      expectDatabaseUnavailable(read);
      expectDatabaseUnavailable(money);
      expectDatabaseUnavailable(adminRoute);
      expectDatabaseUnavailable(wallets);
      expect(ready.res.status).toBe(503);
      expect(ready.res.body.error?.database?.status).toBe('down');
      expect(ready.ms).toBeLessThan(ANSWER_BUDGET_MS);

      // Still hung a while later: the connection pool, now cleared, must not make later requests wait longer.
      const again = await timed(() => app().get(`${API}/transfers`).set(stack.viewer));
      process.stdout.write(`[database-outage] a read once the outage is known (ms): ${again.ms}\n`);
      expectDatabaseUnavailable(again);
    } finally {
      process.kill(stack.db.pid, 'SIGCONT');
      stoppedAt = Date.now() - stoppedAt;
    }

    const resumed = Date.now();
    let readyAgain = 0;
    for (;;) {
      const res = await app().get('/health/ready');
      if (res.status === 200) break;
      expect(Date.now() - resumed).toBeLessThan(15_000);
      await new Promise((r) => setTimeout(r, 100));
    }
    readyAgain = Date.now() - resumed;
    process.stdout.write(
      `[database-outage] engine stopped for ${stoppedAt} ms; ready again ${readyAgain} ms after SIGCONT\n`,
    );

    // The money request that got 503 stored nothing (its first read never got an answer) ...
    const before = await app().get(`${API}/transfers`).query({ to }).set(stack.viewer).expect(200);
    expect(before.body.items).toEqual([]);
    // ... and its retry with the same key creates it once, complete; a second retry replays it.
    const created = await pay().expect(202);
    expect(created.body).toMatchObject({
      status: 'approved',
      to,
      amountRaw: '1500000',
      reference: 'outage-1',
    });
    const replayed = await pay().expect(200);
    expect(replayed.body.id).toBe(created.body.id);
    const after = await app().get(`${API}/transfers`).query({ to }).set(stack.viewer).expect(200);
    expect((after.body.items as Array<{ id: string }>).map((t) => t.id)).toEqual([created.body.id]);

    // The pipeline recovered too: the payout goes all the way to the chain.
    const done = await waitForStatus(stack, created.body.id as string, ['confirmed', 'failed']);
    expect(done.status).toBe('confirmed');
    await app().get(`${API}/audit`).set(stack.admin).expect(200);
  });
  it('leaves money requests caught by the stop either stored complete or not at all; their retries complete or replay', async () => {
    const app = () => request(stack.app.url);
    await app().get('/health/ready').expect(200);
    const payouts = Array.from({ length: 6 }, (_, i) => ({
      key: `outage-mid-${i}`,
      body: { to: freshAddress(), amount: `2.00000${i + 1}`, reference: `outage-mid-${i}` },
    }));
    const send = (p: (typeof payouts)[number]) =>
      app().post(`${API}/transfer`).set(stack.operator).set('Idempotency-Key', p.key).send(p.body);

    // Requests in flight at the moment the engine stops: some get through, some are cut off mid-way.
    const first = payouts.map((p, i) =>
      new Promise((r) => setTimeout(r, i * 4)).then(() => timed(() => send(p))),
    );
    await new Promise((r) => setTimeout(r, 8));
    process.kill(stack.db.pid, 'SIGSTOP');
    let answers: Timed[];
    try {
      answers = await Promise.all(first);
    } finally {
      process.kill(stack.db.pid, 'SIGCONT');
    }
    for (const answer of answers) {
      if (answer.res.status === 503) expectDatabaseUnavailable(answer);
      else expect(answer.res.status).toBe(202);
    }
    process.stdout.write(
      `[database-outage] in-flight money requests at the stop: ${answers.map((a) => `${a.res.status}/${a.ms}ms`).join(' ')}\n`,
    );
    for (;;) {
      if ((await app().get('/health/ready')).status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }

    for (const [i, p] of payouts.entries()) {
      const stored = await app()
        .get(`${API}/transfers`)
        .query({ to: p.body.to })
        .set(stack.viewer)
        .expect(200);
      const items = stored.body.items as Array<Record<string, unknown>>;
      // Never two, never a fragment.
      expect(items.length).toBeLessThanOrEqual(1);
      const retry = await send(p);
      if (items.length === 1) {
        expect(items[0]).toMatchObject({ to: p.body.to, amountRaw: `200000${i + 1}`, reference: p.key });
        expect(retry.status).toBe(200);
        expect(retry.body.id).toBe(items[0].id);
      } else {
        expect(retry.status).toBe(202);
      }
      expect(retry.body).toMatchObject({ to: p.body.to, amountRaw: `200000${i + 1}`, reference: p.key });
      const after = await app()
        .get(`${API}/transfers`)
        .query({ to: p.body.to })
        .set(stack.viewer)
        .expect(200);
      expect((after.body.items as Array<{ id: string }>).map((t) => t.id)).toEqual([retry.body.id]);
    }
  });
});
