import request from 'supertest';

import { freePort } from '../support/service-process';
import { startTestApp, TestApp } from '../support/test-app';
import { startTestDatabase, TestDatabase } from '../support/test-database';
import { startTestRedis, TestRedis } from '../support/redis';
import { bearer, tokenFor } from '../support/tokens';
import {
  PolicyDoc,
  shippedPolicies,
  singleAdminPolicyChanges,
  writePolicyFile,
} from '../support/policy-file';

const API = '/api/v1/tron/usdt';
// Distinct limits, so X-RateLimit-Limit tells which class a route was counted in.
const LIMITS = {
  public: { limit: 4, ttlSeconds: 60 },
  read: { limit: 5, ttlSeconds: 60 },
  money: { limit: 3, ttlSeconds: 60 },
  admin: { limit: 6, ttlSeconds: 60 },
};
const withLimits = (limits: typeof LIMITS) => (doc: PolicyDoc) =>
  void (singleAdminPolicyChanges(doc).rateLimits = { ...limits });
const probeModule = async () => (await import('../support/probe.module')).ProbeAppModule;
const as = (sub: string, role: 'viewer' | 'operator' | 'admin' = 'viewer') => bearer(tokenFor(role, { sub }));

function expectRateLimited(res: request.Response): void {
  expect(res.status).toBe(429);
  expect(res.body.error).toMatchObject({ code: 'USDT_ERR_700', retryable: true });
  const retryAfter = Number(res.headers['retry-after']);
  expect(retryAfter).toBeGreaterThan(0);
  expect(retryAfter).toBeLessThanOrEqual(60);
}

describe('rate limits per route class (real app)', () => {
  let db: TestDatabase;
  let redis: TestRedis;
  const policyFile = writePolicyFile(withLimits(LIMITS));

  beforeAll(async () => {
    db = await startTestDatabase();
    redis = await startTestRedis();
  });

  afterAll(async () => {
    await redis?.stop();
    await db?.stop();
  });

  describe('one instance, counters in memory', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({
        env: {
          MONGODB_URI: db.uri,
          MONGODB_DATABASE: 'edge_rate_memory',
          POLICY_FILE: policyFile,
          // So that tests can stand for different clients with X-Forwarded-For.
          TRUSTED_PROXIES: 'loopback',
          REDIS_URL: undefined,
          CORS_ORIGINS: 'https://console.example',
        },
        rootModule: probeModule,
      });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('answers the 6th read of one caller within the window with 429 USDT_ERR_700 and Retry-After', async () => {
      for (let i = 1; i <= 5; i++) {
        const res = await request(app.url).get('/probe/viewer').set(as('alice')).expect(200);
        expect(res.headers['x-ratelimit-limit']).toBe('5');
        expect(res.headers['x-ratelimit-remaining']).toBe(String(5 - i));
      }
      expectRateLimited(await request(app.url).get('/probe/viewer').set(as('alice')));
    });

    it('counts per token subject: another caller from the same address still gets 200', async () => {
      await request(app.url).get('/probe/viewer').set(as('alice')).expect(429);
      await request(app.url).get('/probe/viewer').set(as('bob')).expect(200);
    });

    it('counts every route of a class together', async () => {
      for (let i = 0; i < 3; i++) await request(app.url).get('/probe/viewer').set(as('carol')).expect(200);
      for (let i = 0; i < 2; i++) await request(app.url).get(`${API}/policies`).set(as('carol')).expect(200);
      expectRateLimited(await request(app.url).get(`${API}/policies`).set(as('carol')));
      expectRateLimited(await request(app.url).get('/probe/operator').set(as('carol', 'operator')));
    });

    it('derives each route class from the route: public, read, money, admin', async () => {
      const limitOf = (res: request.Response) => Number(res.headers['x-ratelimit-limit']);
      const client = { 'X-Forwarded-For': '10.9.0.1' };
      expect(limitOf(await request(app.url).get('/status').set(client).expect(200))).toBe(4);
      expect(limitOf(await request(app.url).get('/').set(client).expect(200))).toBe(4);
      expect(limitOf(await request(app.url).get('/probe/viewer').set(as('dave')).expect(200))).toBe(5);
      // An operator route that only reads is a read.
      expect(limitOf(await request(app.url).get('/probe/operator').set(as('dave', 'operator')))).toBe(5);
      // POST /transfer moves money; the guard counts it before the body is validated (400 here).
      const transfer = await request(app.url)
        .post(`${API}/transfer`)
        .set(as('dave', 'operator'))
        .set('Idempotency-Key', 'edge-class-0001')
        .send({});
      expect(transfer.status).toBe(400);
      expect(limitOf(transfer)).toBe(3);
      expect(limitOf(await request(app.url).get('/probe/admin').set(as('dave', 'admin')).expect(200))).toBe(
        6,
      );
    });

    it('limits money routes at their own (lower) limit', async () => {
      const post = () =>
        request(app.url)
          .post(`${API}/approve`)
          .set(as('erin', 'operator'))
          .set('Idempotency-Key', 'edge-money-0001')
          .send({});
      for (let i = 0; i < 3; i++) expect((await post()).status).toBe(400);
      expectRateLimited(await post());
      // Reads of the same caller have their own budget.
      await request(app.url).get('/probe/viewer').set(as('erin', 'operator')).expect(200);
    });

    it('counts public routes per client address, whatever token comes with them', async () => {
      const from = (ip: string) => ({ 'X-Forwarded-For': ip });
      for (let i = 0; i < 4; i++) {
        await request(app.url)
          .get('/status')
          .set(from('10.9.0.2'))
          .set(as(`public-${i}`))
          .expect(200);
      }
      expectRateLimited(await request(app.url).get('/status').set(from('10.9.0.2')).set(as('fresh')));
      await request(app.url).get('/status').set(from('10.9.0.3')).expect(200);
    });

    it('keeps 401 for calls without a valid token, however many', async () => {
      for (let i = 0; i < 8; i++) {
        const res = await request(app.url).get('/probe/viewer').expect(401);
        expect(res.body.error.code).toBe('USDT_ERR_500');
      }
    });

    it('never limits the liveness and readiness probes', async () => {
      for (let i = 0; i < 8; i++) {
        const live = await request(app.url).get('/health/live').expect(200);
        expect(live.headers['x-ratelimit-limit']).toBeUndefined();
      }
      for (let i = 0; i < 6; i++) expect((await request(app.url).get('/health/ready')).status).not.toBe(429);
    });

    it('lets a browser console read Retry-After and the limits, and send If-Match (CORS)', async () => {
      const preflight = await request(app.url)
        .options(`${API}/policies`)
        .set('Origin', 'https://console.example')
        .set('Access-Control-Request-Method', 'PUT')
        .set('Access-Control-Request-Headers', 'authorization,content-type,if-match')
        .expect(204);
      expect(preflight.headers['access-control-allow-headers'].toLowerCase()).toContain('if-match');
      const limited = await request(app.url)
        .get('/probe/viewer')
        .set('Origin', 'https://console.example')
        .set(as('alice'))
        .expect(429);
      expect(limited.headers['access-control-allow-origin']).toBe('https://console.example');
      expect(limited.headers['access-control-expose-headers']).toContain('Retry-After');
      expect(limited.headers['access-control-expose-headers']).toContain('X-RateLimit-Remaining');
    });

    it('applies a limit changed with PUT /policies without a restart', async () => {
      const doc = shippedPolicies();
      withLimits({ ...LIMITS, read: { limit: 2, ttlSeconds: 60 } })(doc);
      await request(app.url).put(`${API}/policies`).set(as('root', 'admin')).send(doc).expect(200);
      await request(app.url).get('/probe/viewer').set(as('frank')).expect(200);
      const second = await request(app.url).get('/probe/viewer').set(as('frank')).expect(200);
      expect(second.headers['x-ratelimit-limit']).toBe('2');
      expectRateLimited(await request(app.url).get('/probe/viewer').set(as('frank')));
    });
  });

  describe('two instances sharing counters in Redis', () => {
    let a: TestApp;
    let b: TestApp;

    beforeAll(async () => {
      const env = {
        MONGODB_URI: db.uri,
        MONGODB_DATABASE: 'edge_rate_shared',
        POLICY_FILE: policyFile,
        TRUSTED_PROXIES: undefined,
        REDIS_URL: redis.url,
      };
      a = await startTestApp({ env, rootModule: probeModule });
      b = await startTestApp({ env, rootModule: probeModule });
    });

    afterAll(async () => {
      await a?.close();
      await b?.close();
    });

    it('holds one limit across instances: 3 reads on A and 2 on B, then the 6th is 429 on either', async () => {
      for (let i = 0; i < 3; i++) await request(a.url).get('/probe/viewer').set(as('grace')).expect(200);
      for (let i = 0; i < 2; i++) await request(b.url).get('/probe/viewer').set(as('grace')).expect(200);
      expectRateLimited(await request(b.url).get('/probe/viewer').set(as('grace')));
      expectRateLimited(await request(a.url).get('/probe/viewer').set(as('grace')));
      await request(a.url).get('/probe/viewer').set(as('heidi')).expect(200);
    });

    it('keeps the counters in Redis', async () => {
      const { default: Redis } = await import('ioredis');
      const client = new Redis(redis.url);
      try {
        const keys = await client.keys('*usdt-rl:*');
        expect(keys.some((key) => key.includes(':read:user:grace'))).toBe(true);
      } finally {
        await client.quit();
      }
    });
  });

  describe('Redis unreachable', () => {
    let app: TestApp;

    beforeAll(async () => {
      app = await startTestApp({
        env: {
          MONGODB_URI: db.uri,
          MONGODB_DATABASE: 'edge_rate_no_redis',
          POLICY_FILE: policyFile,
          TRUSTED_PROXIES: undefined,
          REDIS_URL: `redis://127.0.0.1:${await freePort()}`,
        },
        rootModule: probeModule,
      });
    });

    afterAll(async () => {
      await app?.close();
    });

    it('still serves and still limits, counting in memory', async () => {
      for (let i = 0; i < 5; i++) await request(app.url).get('/probe/viewer').set(as('ivan')).expect(200);
      expectRateLimited(await request(app.url).get('/probe/viewer').set(as('ivan')));
    });
  });
});
