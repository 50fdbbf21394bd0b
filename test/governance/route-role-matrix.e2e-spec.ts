import { randomUUID } from 'node:crypto';
import request from 'supertest';

import { startTestApp, TestApp } from '../support/test-app';
import { startTestDatabase, TestDatabase } from '../support/test-database';
import { bearer, tokenFor } from '../support/tokens';
import { writePolicyFile } from '../support/policy-file';

type Access = 'public' | 'viewer' | 'operator' | 'admin';
type Caller = 'none' | 'viewer' | 'operator' | 'admin';

const API = '/api/v1/tron/usdt';

/**
 * Who may call each route. The test compares this table with the routes the running app actually serves, so
 * a route added without a line here fails the suite instead of escaping the check.
 */
const EXPECTED: Record<string, Access> = {
  'GET /': 'public',
  'GET /status': 'public',
  'GET /health': 'public',
  'GET /health/live': 'public',
  'GET /health/ready': 'public',
  'GET /metrics': 'public',
  'GET /docs': 'public',
  'GET /docs/': 'public',
  'GET /docs/index.html': 'public',
  'GET /docs/swagger-ui-init.js': 'public',
  'GET /docs/docs/swagger-ui-init.js': 'public',
  'GET /docs/LICENSE': 'public',
  'GET /docs-json': 'public',
  'GET /docs-yaml': 'public',
  [`GET ${API}/contract/info`]: 'viewer',
  [`GET ${API}/balance/:address`]: 'viewer',
  [`GET ${API}/allowance/:owner/:spender`]: 'viewer',
  [`GET ${API}/transaction/:txid`]: 'viewer',
  [`GET ${API}/transactions/:address`]: 'viewer',
  [`GET ${API}/transfers`]: 'viewer',
  [`GET ${API}/transfers/:id`]: 'viewer',
  [`GET ${API}/stats`]: 'viewer',
  [`GET ${API}/policies`]: 'viewer',
  [`GET ${API}/wallets`]: 'viewer',
  [`POST ${API}/transfer`]: 'operator',
  [`POST ${API}/approve`]: 'operator',
  [`POST ${API}/transfers/batch`]: 'operator',
  [`POST ${API}/transfers/:id/cancel`]: 'operator',
  [`POST ${API}/wallets`]: 'admin',
  [`POST ${API}/wallets/:address/disable`]: 'admin',
  [`POST ${API}/wallets/:address/enable`]: 'admin',
  [`PUT ${API}/policies`]: 'admin',
  [`GET ${API}/policies/proposals`]: 'admin',
  [`GET ${API}/policies/proposals/:id`]: 'admin',
  [`POST ${API}/policies/proposals/:id/approve`]: 'admin',
  [`POST ${API}/policies/proposals/:id/reject`]: 'admin',
  [`GET ${API}/approvals`]: 'admin',
  [`POST ${API}/approvals/:id/approve`]: 'admin',
  [`POST ${API}/approvals/:id/reject`]: 'admin',
  [`GET ${API}/admin/emergency-stop`]: 'admin',
  [`POST ${API}/admin/emergency-stop`]: 'admin',
  [`POST ${API}/admin/resume`]: 'admin',
  [`GET ${API}/compliance/kyc/:address`]: 'admin',
  [`PUT ${API}/compliance/kyc/:address`]: 'admin',
  [`GET ${API}/compliance/screening`]: 'admin',
  [`POST ${API}/compliance/screening`]: 'admin',
  [`POST ${API}/compliance/screening/import`]: 'admin',
  [`DELETE ${API}/compliance/screening/:list/:address`]: 'admin',
  [`GET ${API}/audit`]: 'admin',
  [`GET ${API}/audit/verify`]: 'admin',
};

const RANK: Record<Caller, number> = { none: -1, viewer: 0, operator: 1, admin: 2 };
const NEEDS: Record<Exclude<Access, 'public'>, number> = { viewer: 0, operator: 1, admin: 2 };

/** The status class a caller must get: public routes never refuse; others 401 without a token, 403 below. */
function expectedOutcome(access: Access, caller: Caller): 'allowed' | 401 | 403 {
  if (access === 'public') return 'allowed';
  if (caller === 'none') return 401;
  return RANK[caller] >= NEEDS[access] ? 'allowed' : 403;
}

/** Path parameters filled with well-formed values, so an allowed call gets past validation to the handler. */
function concretePath(path: string): string {
  const address = 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t';
  return path
    .replace(':id', randomUUID())
    .replace(':txid', 'a'.repeat(64))
    .replace(':list', 'block')
    .replace(/:(address|owner|spender)/g, address);
}

const CATCH_ALL = '/{*path}';

interface Layer {
  route?: { path: string; methods: Record<string, boolean> };
}

/** Every method + path the Express app routes, as `METHOD /path` (Nest registers each handler there). */
function servedRoutes(app: TestApp): string[] {
  const express = app.app.getHttpAdapter().getInstance() as {
    router?: { stack: Layer[] };
    _router?: { stack: Layer[] };
  };
  const stack = (express.router ?? express._router)?.stack ?? [];
  const routes = new Set<string>();
  for (const layer of stack) {
    // The catch-all that answers unknown routes 404 and known paths 405 is not an API route.
    if (!layer.route || layer.route.path === CATCH_ALL) continue;
    for (const method of Object.keys(layer.route.methods)) {
      if (method === '_all' || method === 'head') continue;
      routes.add(`${method.toUpperCase()} ${layer.route.path}`);
    }
  }
  return [...routes].sort();
}

describe('route-by-role matrix (every served route, every role and no token)', () => {
  let db: TestDatabase;
  let app: TestApp;
  const tokens: Record<Exclude<Caller, 'none'>, Record<string, string>> = {
    viewer: bearer(tokenFor('viewer', { sub: 'matrix-viewer' })),
    operator: bearer(tokenFor('operator', { sub: 'matrix-operator' })),
    admin: bearer(tokenFor('admin', { sub: 'matrix-admin' })),
  };

  beforeAll(async () => {
    db = await startTestDatabase();
    // Generous rate limits: this suite makes a few hundred calls and is about roles, not throttling.
    const policyFile = writePolicyFile((doc) => {
      for (const name of Object.keys(doc.rateLimits))
        doc.rateLimits[name] = { limit: 100000, ttlSeconds: 60 };
    });
    app = await startTestApp({
      env: { MONGODB_URI: db.uri, MONGODB_DATABASE: 'route_matrix', POLICY_FILE: policyFile },
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.stop();
  });

  it('has an expected access for every route the app serves, and serves every route in the table', () => {
    expect(servedRoutes(app)).toEqual(Object.keys(EXPECTED).sort());
  });

  const cells = Object.entries(EXPECTED).flatMap(([route, access]) =>
    (['none', 'viewer', 'operator', 'admin'] as Caller[]).map((caller) => ({ route, access, caller })),
  );

  it.each(cells)('$route as $caller', async ({ route, access, caller }) => {
    const [method, path] = route.split(' ');
    let call = request(app.url)[method.toLowerCase() as 'get' | 'post' | 'put' | 'delete'](
      concretePath(path),
    );
    if (caller !== 'none') call = call.set(tokens[caller]);
    // An empty body: allowed calls stop at validation (400) or a missing record (404), changing nothing.
    if (method !== 'GET') call = call.send({});
    const res = await call;
    const expected = expectedOutcome(access, caller);
    if (expected === 'allowed') {
      expect([401, 403]).not.toContain(res.status);
    } else {
      expect(res.status).toBe(expected);
      expect(res.body.error.code).toBe(expected === 401 ? 'USDT_ERR_500' : 'USDT_ERR_501');
    }
  });
});

describe('methods a path does not serve, and paths nobody serves', () => {
  let db: TestDatabase;
  let app: TestApp;
  const viewer = bearer(tokenFor('viewer', { sub: 'methods-viewer' }));

  beforeAll(async () => {
    db = await startTestDatabase();
    app = await startTestApp({ env: { MONGODB_URI: db.uri, MONGODB_DATABASE: 'route_methods' } });
  });

  afterAll(async () => {
    await app?.close();
    await db?.stop();
  });

  it.each([
    ['DELETE', `${API}/transfers/${randomUUID()}`, 'GET, HEAD'],
    ['PUT', `${API}/transfer`, 'POST'],
    ['PATCH', `${API}/policies`, 'GET, PUT, HEAD'],
    // The literal path is what a caller means, not the `/transfers/:id` route it also fits.
    ['GET', `${API}/transfers/batch`, 'POST'],
    ['POST', '/health/live', 'GET, HEAD'],
  ])('%s %s answers 405 in the error shape, with Allow: %s, token or not', async (method, path, allow) => {
    for (const headers of [{}, viewer]) {
      const res = await request(app.url)
        [method.toLowerCase() as 'delete' | 'put' | 'patch' | 'get' | 'post'](path)
        .set(headers);
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe(allow);
      expect(res.body.error).toMatchObject({
        code: 'USDT_ERR_100',
        message: `${method} is not allowed on ${path}`,
      });
      expect(typeof res.body.error.requestId).toBe('string');
    }
  });

  it('answers an unknown path 404, and HEAD on a GET route as GET without a body', async () => {
    const unknown = await request(app.url).get(`${API}/nothing-here`).set(viewer);
    expect(unknown.status).toBe(404);
    expect(unknown.headers.allow).toBeUndefined();
    expect(unknown.body.error.code).toBe('USDT_ERR_100');
    const head = await request(app.url).head('/health/live');
    expect(head.status).toBe(200);
    expect(head.headers.allow).toBeUndefined();
  });
});
