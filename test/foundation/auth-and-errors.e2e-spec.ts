import { sign } from 'jsonwebtoken';
import request from 'supertest';

import { startTestApp, TestApp } from '../support/test-app';
import { startTestDatabase, TestDatabase } from '../support/test-database';
import { bearer, TEST_JWT_SECRET, tokenFor } from '../support/tokens';

describe('auth, validation and the error shape (real app, embedded engine)', () => {
  let db: TestDatabase;
  let app: TestApp;

  beforeAll(async () => {
    db = await startTestDatabase();
    app = await startTestApp({
      env: { MONGODB_URI: db.uri, MONGODB_DATABASE: 'auth_errors' },
      rootModule: async () => (await import('../support/probe.module')).ProbeAppModule,
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.stop();
  });

  const expectError = (body: unknown, code: string) =>
    expect(body).toEqual({
      error: expect.objectContaining({ code, message: expect.any(String), requestId: expect.any(String) }),
    });

  describe('authentication', () => {
    it('answers 401 USDT_ERR_500 without a token', async () => {
      const res = await request(app.url).get('/probe/operator').expect(401);
      expectError(res.body, 'USDT_ERR_500');
      expect(res.body.error).toMatchObject({ retryable: false, retryPolicy: 'no_retry', details: [] });
    });

    it('answers 401 for an expired token', async () => {
      const expired = sign({ roles: ['admin'], exp: Math.floor(Date.now() / 1000) - 60 }, TEST_JWT_SECRET, {
        subject: 'old',
      });
      expectError(
        (await request(app.url).get('/probe/viewer').set(bearer(expired)).expect(401)).body,
        'USDT_ERR_500',
      );
    });

    it('refuses a token once it expires, though it was accepted (and kept as verified) before', async () => {
      const exp = Math.floor(Date.now() / 1000) + 2;
      const token = sign({ roles: ['viewer'], exp }, TEST_JWT_SECRET, { subject: 'short-lived' });
      await request(app.url).get('/probe/viewer').set(bearer(token)).expect(200);
      await request(app.url).get('/probe/viewer').set(bearer(token)).expect(200);
      await new Promise((resolve) => setTimeout(resolve, exp * 1000 - Date.now() + 50));
      expectError(
        (await request(app.url).get('/probe/viewer').set(bearer(token)).expect(401)).body,
        'USDT_ERR_500',
      );
      // One byte changed in the signature of a token that is kept: a different token, verified, refused.
      const good = tokenFor('viewer', { sub: 'kept' });
      await request(app.url).get('/probe/viewer').set(bearer(good)).expect(200);
      const at = good.length - 10;
      const tampered = good.slice(0, at) + (good[at] === 'Q' ? 'R' : 'Q') + good.slice(at + 1);
      await request(app.url).get('/probe/viewer').set(bearer(tampered)).expect(401);
    });

    it('answers 401 for a token signed with another secret', async () => {
      const forged = tokenFor('admin', { secret: 'another-secret-that-is-also-long-enough-0123456789' });
      expectError(
        (await request(app.url).get('/probe/viewer').set(bearer(forged)).expect(401)).body,
        'USDT_ERR_500',
      );
    });

    it('answers 401 for an unsigned alg:none token', async () => {
      const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const none = `${encode({ alg: 'none', typ: 'JWT' })}.${encode({ sub: 'mallory', roles: ['admin'], iat: now, exp: now + 600 })}.`;
      expectError(
        (await request(app.url).get('/probe/admin').set(bearer(none)).expect(401)).body,
        'USDT_ERR_500',
      );
    });

    it('answers 401 for a token without a subject', async () => {
      const anonymous = sign({ roles: ['admin'] }, TEST_JWT_SECRET, { expiresIn: '5m' });
      await request(app.url).get('/probe/viewer').set(bearer(anonymous)).expect(401);
    });

    it('puts the caller on the request for a valid token', async () => {
      const res = await request(app.url)
        .get('/probe/viewer')
        .set(bearer(tokenFor('viewer', { sub: 'vera' })))
        .expect(200);
      expect(res.body).toEqual({ sub: 'vera', roles: ['viewer'] });
    });
  });

  describe('roles', () => {
    it('answers 403 USDT_ERR_501 for a viewer on an operator route', async () => {
      const res = await request(app.url)
        .get('/probe/operator')
        .set(bearer(tokenFor('viewer')))
        .expect(403);
      expectError(res.body, 'USDT_ERR_501');
    });

    it('lets admin act as operator and viewer, but not operator as admin', async () => {
      await request(app.url)
        .get('/probe/operator')
        .set(bearer(tokenFor('admin')))
        .expect(200);
      await request(app.url)
        .get('/probe/viewer')
        .set(bearer(tokenFor('operator')))
        .expect(200);
      await request(app.url)
        .get('/probe/admin')
        .set(bearer(tokenFor('operator')))
        .expect(403);
    });

    it('refuses a token whose roles are all unknown', async () => {
      await request(app.url)
        .get('/probe/viewer')
        .set(bearer(tokenFor('superuser' as 'admin')))
        .expect(403);
    });
  });

  describe('errors', () => {
    it('answers a malformed JSON body with 400 USDT_ERR_100, not 500', async () => {
      const res = await request(app.url)
        .post('/probe/transfer')
        .set('Content-Type', 'application/json')
        .send('{"to": "T...", amount: }')
        .expect(400);
      expectError(res.body, 'USDT_ERR_100');
    });

    it('hides an unknown error behind 500 USDT_ERR_800 with no stack or message', async () => {
      const res = await request(app.url).get('/probe/boom').expect(500);
      expectError(res.body, 'USDT_ERR_800');
      const text = JSON.stringify(res.body);
      expect(text).not.toMatch(/hunter2|\/srv\/internal|at .*\.ts/);
    });

    it('uses the specific catalogue code of the failing field', async () => {
      const bad = await request(app.url)
        .post('/probe/transfer')
        .send({ to: '41a614f803b6fd780986a42c78ec9c7f77e6ded13c', amount: '1' })
        .expect(400);
      expectError(bad.body, 'USDT_ERR_101');
      expect(bad.body.error.details).toEqual([expect.objectContaining({ field: 'to' })]);
      const amount = await request(app.url)
        .post('/probe/transfer')
        .send({ to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '1.1234567' })
        .expect(400);
      expectError(amount.body, 'USDT_ERR_102');
    });

    it('refuses unknown body fields with USDT_ERR_100', async () => {
      const res = await request(app.url)
        .post('/probe/transfer')
        .send({ to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '1', extra: true })
        .expect(400);
      expectError(res.body, 'USDT_ERR_100');
    });

    it('answers a bad query with USDT_ERR_105', async () => {
      expectError((await request(app.url).get('/probe/list?limit=1000').expect(400)).body, 'USDT_ERR_105');
    });

    it('answers an unknown route with 404 in the catalogue shape', async () => {
      expectError((await request(app.url).get('/no/such/route').expect(404)).body, 'USDT_ERR_100');
    });

    it('echoes a caller-supplied X-Request-Id and makes one otherwise', async () => {
      const res = await request(app.url).get('/probe/operator').set('X-Request-Id', 'trace-42').expect(401);
      expect(res.headers['x-request-id']).toBe('trace-42');
      expect(res.body.error.requestId).toBe('trace-42');
      const fresh = await request(app.url).get('/probe/operator').expect(401);
      expect(fresh.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    });
  });
});
