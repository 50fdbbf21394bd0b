import fc from 'fast-check';

import { handlerCalls, totalHandlerCalls } from '../support/handler-calls.module';
import { writePolicyFile } from '../support/policy-file';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestDatabase, TestDatabase } from '../support/test-database';
import { tokenFor } from '../support/tokens';
import { abusiveTokens } from './abusive-tokens';
import {
  collectionCounts,
  concretePath,
  documentedOperations,
  errorShapeProblem,
  Operation,
  send,
} from './hostile-http';

/** Whether two JWTs carry the same bytes in each of their three parts. */
function sameBytes(a: string, b: string): boolean {
  const parts = (token: string) =>
    token.split('.').map((part) => Buffer.from(part, 'base64url').toString('hex'));
  return JSON.stringify(parts(a)) === JSON.stringify(parts(b));
}

/** Cases per property; with the two properties below, 2,600 requests. */
const RUNS = 1300;
const SEED = 1111;

describe('token abuse, as properties over every secured route', () => {
  let db: TestDatabase;
  let service: TestApp;
  let secured: Operation[];
  let countsBefore: Record<string, number>;

  beforeAll(async () => {
    db = await startTestDatabase();
    service = await startTestApp({
      env: { MONGODB_URI: db.uri, MONGODB_DATABASE: 'token_abuse', POLICY_FILE: writePolicyFile() },
      rootModule: async () => (await import('../support/handler-calls.module')).HandlerCallsAppModule,
    });
    secured = (await documentedOperations(service)).filter((op) => op.secured);
    countsBefore = await collectionCounts(service);
    handlerCalls.clear();
  });

  afterAll(async () => {
    await service?.close();
    await db?.stop();
  });

  it('covers every secured route of the document', () => {
    // The document is the list of routes: a route added later is covered without editing this suite.
    expect(secured.length).toBeGreaterThanOrEqual(30);
  });

  it('refuses every abusive token on every route in the one error shape, before any handler', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...secured), abusiveTokens, fc.object(), async (op, token, body) => {
        const before = totalHandlerCalls();
        const answer = await send(service, op.method, concretePath(op.path), {
          headers: {
            Authorization: token.authorization,
            'Content-Type': 'application/json',
            'Idempotency-Key': 'abuse-0000001',
          },
          body: JSON.stringify(body),
        });
        const problem = errorShapeProblem(answer);
        if (problem) throw new Error(`${op.method} ${op.path} with ${token.kind}: ${problem}`);
        const code = (answer.body as { error: { code: string } }).error.code;
        expect({ kind: token.kind, status: answer.status, code }).toEqual({
          kind: token.kind,
          status: token.expected,
          code: { 401: 'USDT_ERR_500', 403: 'USDT_ERR_501', 431: 'USDT_ERR_100' }[token.expected],
        });
        expect(totalHandlerCalls()).toBe(before);
      }),
      { numRuns: RUNS, seed: SEED },
    );
  });

  it('refuses tokens whose signature was cut, padded or flipped at any position', async () => {
    const before = totalHandlerCalls();
    const genuine = tokenFor('admin', { sub: 'flip-target' });
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...secured),
        fc.integer({ min: 0, max: genuine.length - 1 }),
        fc.constantFrom('A', 'B', '-', '_', '.', ''),
        async (op, at, replacement) => {
          const forged = genuine.slice(0, at) + replacement + genuine.slice(at + 1);
          // base64url's last character carries spare bits: a change there can leave the bytes as they were.
          fc.pre(!sameBytes(forged, genuine));
          const answer = await send(service, op.method, concretePath(op.path), {
            headers: { Authorization: `Bearer ${forged}`, 'Content-Type': 'application/json' },
            body: '{}',
          });
          const problem = errorShapeProblem(answer);
          if (problem) throw new Error(`${op.method} ${op.path}: ${problem}`);
          expect(answer.status).toBe(401);
          expect((answer.body as { error: { code: string } }).error.code).toBe('USDT_ERR_500');
        },
      ),
      { numRuns: RUNS, seed: SEED },
    );
    expect(totalHandlerCalls()).toBe(before);
  });

  // Regression: Node's HTTP parser answered these with a bare 431 and no body, outside the error shape.
  it('answers headers too large for the HTTP parser with 431 in the error shape', async () => {
    const answer = await send(service, 'GET', '/api/v1/tron/usdt/stats', {
      headers: { Authorization: `Bearer ${'A'.repeat(64 * 1024)}` },
    });
    expect(answer.status).toBe(431);
    expect(errorShapeProblem(answer)).toBeUndefined();
    expect((answer.body as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'USDT_ERR_100',
      message: 'Request headers too large',
      retryable: false,
    });
  });

  it('wrote nothing: every collection has as many documents as before', async () => {
    expect(await collectionCounts(service)).toEqual(countsBefore);
  });
});
