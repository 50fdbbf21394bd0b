import fc from 'fast-check';

import { isTronAddress } from '@app/common';
import { TRANSFER_STATUSES } from '@app/transfers';

import { handlerCalls } from '../support/handler-calls.module';
import { writePolicyFile } from '../support/policy-file';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestDatabase, TestDatabase } from '../support/test-database';
import { bearer, tokenFor } from '../support/tokens';
import {
  collectionCounts,
  concretePath,
  documentedOperations,
  errorShapeProblem,
  Operation,
  send,
} from './hostile-http';
import {
  anyRequestId,
  hostileAddress,
  hostileAmount,
  hostileIdempotencyKey,
  hostileObjectBody,
  hostileRawBody,
} from './hostile-inputs';

/** Cases per property; with the four properties below, 2,600 requests. */
const RUNS = 650;
const SEED = 2222;
const API = '/api/v1/tron/usdt';
const RECIPIENT = 'TJRabPrwbZy45sbavfcjinPJC18kjpRTv8';

/** Answers that must be a refusal: the one error shape, a catalogue code, a 4xx. */
function expectRefusal(what: string, answer: Awaited<ReturnType<typeof send>>, codes?: string[]): void {
  const problem = errorShapeProblem(answer);
  if (problem) throw new Error(`${what}: ${problem}`);
  const code = (answer.body as { error: { code: string } }).error.code;
  if (answer.status < 400 || answer.status >= 500) throw new Error(`${what}: status ${answer.status}`);
  if (codes && !codes.includes(code))
    throw new Error(`${what}: ${code}, expected one of ${codes.join(', ')}`);
}

describe('hostile input, as properties over every route (admin token: every handler is reachable)', () => {
  let db: TestDatabase;
  let service: TestApp;
  let operations: Operation[];
  let countsBefore: Record<string, number>;
  const admin = bearer(tokenFor('admin', { sub: 'hostile-admin' }));

  beforeAll(async () => {
    db = await startTestDatabase();
    service = await startTestApp({
      env: { MONGODB_URI: db.uri, MONGODB_DATABASE: 'hostile_input', POLICY_FILE: writePolicyFile() },
      rootModule: async () => (await import('../support/handler-calls.module')).HandlerCallsAppModule,
    });
    operations = await documentedOperations(service);
    countsBefore = await collectionCounts(service);
    handlerCalls.clear();
  });

  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  it('refuses malformed, mistyped, incomplete, over-full, deep and huge bodies on every route that takes one', async () => {
    const withBody = operations.filter((op) => op.hasBody);
    // Thirteen routes read a body today; the document's list grows with the API.
    expect(withBody.length).toBeGreaterThanOrEqual(13);
    const bodies = fc.oneof(
      hostileRawBody,
      hostileObjectBody.map((value) => ({
        kind: 'object with wrong and extra fields',
        text: JSON.stringify(value),
      })),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...withBody), bodies, async (op, body) => {
        const answer = await send(service, op.method, concretePath(op.path), {
          headers: { ...admin, 'Content-Type': 'application/json', 'Idempotency-Key': 'hostile-body-0001' },
          body: body.text,
        });
        expectRefusal(`${op.method} ${op.path} with a ${body.kind} body`, answer);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('refuses look-alike addresses and boundary or absurd amounts on every money route', async () => {
    const bodies = {
      transfer: (to: unknown, amount: unknown) => ({ to, amount }),
      approve: (to: unknown, amount: unknown) => ({ spender: to, amount }),
      'transfers/batch': (to: unknown, amount: unknown) => ({
        items: [
          { to: RECIPIENT, amount: '1' },
          { to, amount },
        ],
      }),
    };
    const cases = fc
      .record({
        route: fc.constantFrom(...(Object.keys(bodies) as (keyof typeof bodies)[])),
        // At least one of the two is hostile; the other is sometimes a valid value, so each is checked alone.
        to: fc.oneof(hostileAddress, fc.constant(RECIPIENT)),
        amount: fc.oneof(hostileAmount, fc.constant('12.5')),
      })
      .filter((c) => c.to !== RECIPIENT || c.amount !== '12.5');
    await fc.assert(
      fc.asyncProperty(
        cases,
        fc.stringMatching(/^[A-Za-z0-9]{8,32}$/),
        async ({ route, to, amount }, key) => {
          const answer = await send(service, 'POST', `${API}/${route}`, {
            headers: { ...admin, 'Content-Type': 'application/json', 'Idempotency-Key': `hostile-${key}` },
            body: JSON.stringify(bodies[route](to, amount)),
          });
          expectRefusal(`POST /${route} to ${JSON.stringify(to)} amount ${JSON.stringify(amount)}`, answer, [
            'USDT_ERR_100',
            'USDT_ERR_101',
            'USDT_ERR_102',
          ]);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('refuses missing, malformed and duplicated Idempotency-Keys, and echoes only a plain X-Request-Id', async () => {
    const moneyRoutes = operations.filter((op) => op.headers.includes('Idempotency-Key'));
    expect(moneyRoutes.map((op) => op.path).sort()).toEqual(
      [`${API}/approve`, `${API}/transfer`, `${API}/transfers/batch`].sort(),
    );
    const valid: Record<string, unknown> = {
      [`${API}/transfer`]: { to: RECIPIENT, amount: '1.5' },
      [`${API}/approve`]: { spender: RECIPIENT, amount: '1.5' },
      [`${API}/transfers/batch`]: { items: [{ to: RECIPIENT, amount: '1.5' }] },
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...moneyRoutes),
        hostileIdempotencyKey,
        anyRequestId,
        async (op, key, requestId) => {
          const answer = await send(service, 'POST', op.path, {
            headers: {
              ...admin,
              'Content-Type': 'application/json',
              'X-Request-Id': requestId,
              ...(key !== undefined && { 'Idempotency-Key': key }),
            },
            body: JSON.stringify(valid[op.path]),
          });
          expectRefusal(`POST ${op.path} with Idempotency-Key ${JSON.stringify(key)}`, answer, [
            'USDT_ERR_104',
          ]);
          const echoed = (answer.body as { error: { requestId: string } }).error.requestId;
          expect(echoed).toMatch(/^[A-Za-z0-9._:-]{1,128}$/);
          // HTTP trims the value; anything else than a plain token is replaced by a fresh UUID.
          if (echoed !== requestId.trim()) expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('refuses hostile path and query parameters on every route that reads them', async () => {
    const params = {
      address: hostileAddress.map(String).filter((a) => !isTronAddress(a)),
      txid: fc.oneof(fc.string({ maxLength: 70 }), fc.constant('g'.repeat(64)), fc.constant('a'.repeat(63))),
      id: fc.oneof(
        fc.string({ minLength: 1, maxLength: 40 }),
        fc.constant('0b8f3c52-6d1e-4a8e-9d51-3f1f0a6b9c2'),
      ),
      limit: fc.constantFrom('0', '-1', '201', '1.5', 'abc', '1e3', '99999999999999999999', ''),
      status: fc
        .stringMatching(/^[a-z_]{1,20}$/)
        .filter((s) => !(TRANSFER_STATUSES as readonly string[]).includes(s)),
      from: fc.constantFrom('yesterday', '0.5', '2020', '2026-13-01T00:00:00Z', '1733150000000'),
    };
    const targets = [
      { method: 'GET', path: `${API}/balance/{address}`, param: 'address' as const },
      { method: 'GET', path: `${API}/allowance/{owner}/{spender}`, param: 'address' as const, as: 'owner' },
      { method: 'GET', path: `${API}/transactions/{address}`, param: 'address' as const },
      { method: 'GET', path: `${API}/compliance/kyc/{address}`, param: 'address' as const },
      { method: 'GET', path: `${API}/transaction/{txid}`, param: 'txid' as const },
      { method: 'GET', path: `${API}/transfers/{id}`, param: 'id' as const },
      { method: 'POST', path: `${API}/transfers/{id}/cancel`, param: 'id' as const },
      { method: 'POST', path: `${API}/approvals/{id}/approve`, param: 'id' as const },
      ...['transfers', 'approvals', 'audit', 'compliance/screening'].map((r) => ({
        method: 'GET',
        path: `${API}/${r}`,
        param: 'limit' as const,
        query: true,
      })),
      { method: 'GET', path: `${API}/transfers`, param: 'status' as const, query: true },
      { method: 'GET', path: `${API}/transfers`, param: 'from' as const, query: true },
      { method: 'GET', path: `${API}/audit`, param: 'from' as const, query: true },
    ];
    const cases = fc
      .constantFrom(...targets)
      .chain((target) => params[target.param].map((value) => ({ target, value })));
    await fc.assert(
      fc.asyncProperty(cases, async ({ target, value }) => {
        const path =
          'query' in target
            ? `${target.path}?${new URLSearchParams({ [target.param]: value }).toString()}`
            : concretePath(target.path, { [('as' in target && target.as) || target.param]: value });
        const answer = await send(service, target.method, path, {
          headers: { ...admin, 'Content-Type': 'application/json' },
          body: target.method === 'POST' ? JSON.stringify({ comment: 'hostile' }) : undefined,
        });
        // An id that is a path segment of its own may route elsewhere (404) or nowhere (405): still refused.
        expectRefusal(`${target.method} ${path}`, answer);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  // Regression: a body nested thousands deep overflowed the stack behind PUT /policies (500 USDT_ERR_800).
  it('answers a deeply nested policy document with 400 USDT_ERR_100, not a server error', async () => {
    const answer = await send(service, 'PUT', `${API}/policies`, {
      headers: { ...admin, 'Content-Type': 'application/json' },
      body: `{"limits":${'['.repeat(10_000)}${']'.repeat(10_000)}}`,
    });
    expect(answer.status).toBe(400);
    expect(errorShapeProblem(answer)).toBeUndefined();
    expect((answer.body as { error: { code: string } }).error.code).toBe('USDT_ERR_100');
  });

  it('wrote nothing: every collection has as many documents as before', async () => {
    expect(await collectionCounts(service)).toEqual(countsBefore);
  });
});
