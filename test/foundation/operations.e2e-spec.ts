import request from 'supertest';

import { startTestApp, TestApp } from '../support/test-app';
import { startTestDatabase, TestDatabase } from '../support/test-database';

describe('operations endpoints (real app, embedded engine)', () => {
  let db: TestDatabase;
  let app: TestApp;
  const metricsToken = 'scrape-token-0123456789abcdef';

  beforeAll(async () => {
    db = await startTestDatabase();
    app = await startTestApp({
      env: { MONGODB_URI: db.uri, MONGODB_DATABASE: 'operations', METRICS_BEARER_TOKEN: metricsToken },
    });
  });

  afterAll(async () => {
    await app?.close();
    await db?.stop();
  });

  it('reports readiness with the database up', async () => {
    const res = await request(app.url).get('/health/ready').expect(200);
    expect(res.body).toMatchObject({
      status: 'ok',
      info: { database: { status: 'up', engine: 'external' } },
    });
  });

  it('answers liveness without touching dependencies', async () => {
    expect((await request(app.url).get('/health/live').expect(200)).body).toMatchObject({ status: 'ok' });
  });

  it('details every indicator on /health', async () => {
    const res = await request(app.url).get('/health').expect(200);
    expect(Object.keys(res.body.details)).toEqual(expect.arrayContaining(['database', 'lifecycle']));
  });

  it('describes the service on / and /status without a token', async () => {
    expect((await request(app.url).get('/').expect(200)).body).toMatchObject({
      docs: '/docs',
      status: '/status',
    });
    const status = await request(app.url).get('/status').expect(200);
    expect(status.body).toMatchObject({ version: expect.any(String), database: { engine: 'external' } });
    expect(status.body.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('protects /metrics with the configured bearer token', async () => {
    const denied = await request(app.url).get('/metrics').expect(401);
    expect(denied.body.error.code).toBe('USDT_ERR_500');
    await request(app.url)
      .get('/metrics')
      .set('Authorization', 'Bearer wrong-token-0123456789abcd')
      .expect(401);
  });

  it('exports the HTTP duration histogram by route and status after a few requests', async () => {
    await request(app.url).get('/status').expect(200);
    await request(app.url).get('/no/such/thing').expect(404);
    const res = await request(app.url)
      .get('/metrics')
      .set('Authorization', `Bearer ${metricsToken}`)
      .expect(200);
    expect(res.text).toMatch(
      /http_request_duration_seconds_count\{method="GET",route="\/status",status_code="200"\} \d+/,
    );
    expect(res.text).toMatch(/route="unmatched",status_code="404"/);
    expect(res.text).toMatch(/process_cpu_user_seconds_total/);
  });

  it('serves the OpenAPI document and its UI', async () => {
    const ui = await request(app.url).get('/docs').expect(200);
    expect(ui.text).toMatch(/swagger-ui/i);
    const doc = await request(app.url).get('/docs-json').expect(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/health/ready', '/status']));
  });

  it('sends security headers', async () => {
    const res = await request(app.url).get('/status');
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.headers['x-powered-by']).toBeUndefined();
  });

  it('sends no ETag: nothing revalidates, and the 304 it would bring is not in the contract', async () => {
    const res = await request(app.url).get('/status').expect(200);
    expect(res.headers.etag).toBeUndefined();
  });

  it('turns readiness to 503 once shutdown begins', async () => {
    const { ShutdownState } = await import('@app/health');
    app.app.get(ShutdownState).begin();
    const res = await request(app.url).get('/health/ready').expect(503);
    expect(res.body).toMatchObject({ status: 'error', error: { lifecycle: { status: 'down' } } });
  });
});
