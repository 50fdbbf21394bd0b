import { spawnSync } from 'node:child_process';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';

import { startTestApp, TestApp } from '../support/test-app';
import { startTestDatabase, TestDatabase } from '../support/test-database';
import { bearer, tokenFor } from '../support/tokens';
import { writePolicyFile } from '../support/policy-file';

type Allowlists = { admin: string[]; all: string[] };

const API = '/api/v1/tron/usdt';
const admin = bearer(tokenFor('admin', { sub: 'edge-admin' }));
const viewer = bearer(tokenFor('viewer', { sub: 'edge-viewer' }));
const probeModule = async () => (await import('../support/probe.module')).ProbeAppModule;

// Containers often have no IPv6 loopback; the IPv6 cases need one (the unit specs cover IPv6 matching anyway).
const HAS_IPV6_LOOPBACK =
  spawnSync(process.execPath, [
    '-e',
    "require('net').createServer().listen(0, '::1', function () { this.close(); }).on('error', () => process.exit(1))",
  ]).status === 0;

function expectIpRefused(res: request.Response): void {
  expect(res.status).toBe(403);
  expect(res.body.error).toMatchObject({ code: 'USDT_ERR_502', retryable: false });
}

describe('IP allow-lists (real app)', () => {
  let db: TestDatabase;
  let app: TestApp | undefined;

  beforeAll(async () => {
    db = await startTestDatabase();
  });

  afterAll(async () => {
    await app?.close();
    await db?.stop();
  });

  async function restart(name: string, ipAllowlist: Allowlists, trustedProxies?: string): Promise<TestApp> {
    await app?.close();
    app = await startTestApp({
      env: {
        MONGODB_URI: db.uri,
        MONGODB_DATABASE: `edge_ip_${name}`,
        POLICY_FILE: writePolicyFile((doc) => void (doc.ipAllowlist = ipAllowlist)),
        TRUSTED_PROXIES: trustedProxies,
        REDIS_URL: undefined,
      },
      rootModule: probeModule,
    });
    return app;
  }

  describe('admin allow-list 10.0.0.0/8, no trusted proxy', () => {
    let url: string;
    beforeAll(async () => {
      url = (await restart('admin', { admin: ['10.0.0.0/8'], all: [] })).url;
    });

    it('refuses admin routes from 127.0.0.1 with 403 USDT_ERR_502', async () => {
      expectIpRefused(await request(url).get('/probe/admin').set(admin));
      expectIpRefused(await request(url).put(`${API}/policies`).set(admin).send({}));
    });

    it('lets viewer routes through from the same address', async () => {
      await request(url).get('/probe/viewer').set(admin).expect(200);
      await request(url).get(`${API}/policies`).set(viewer).expect(200);
    });

    it('checks the address before the token: no token still gets 403, not 401', async () => {
      expectIpRefused(await request(url).get('/probe/admin'));
      await request(url).get('/probe/viewer').expect(401);
    });

    it('ignores a forged X-Forwarded-For from a peer that is not a trusted proxy', async () => {
      expectIpRefused(await request(url).get('/probe/admin').set(admin).set('X-Forwarded-For', '10.1.2.3'));
    });
  });

  describe('admin allow-list 10.0.0.0/8 behind a trusted proxy (TRUSTED_PROXIES=loopback)', () => {
    let url: string;
    beforeAll(async () => {
      url = (await restart('proxy', { admin: ['10.0.0.0/8'], all: [] }, 'loopback')).url;
    });

    it('reads the client from X-Forwarded-For sent by the trusted proxy', async () => {
      await request(url).get('/probe/admin').set(admin).set('X-Forwarded-For', '10.1.2.3').expect(200);
    });

    it('uses the proxy address itself when the header is absent', async () => {
      expectIpRefused(await request(url).get('/probe/admin').set(admin));
    });

    it('takes the nearest untrusted hop, so a client cannot prepend an allowed address', async () => {
      // The proxy appends the address it saw (192.0.2.5) after whatever the client sent.
      const res = await request(url)
        .get('/probe/admin')
        .set(admin)
        .set('X-Forwarded-For', '10.1.2.3, 192.0.2.5');
      expectIpRefused(res);
    });
  });

  describe('allow-list for all routes that leaves the caller out', () => {
    let url: string;
    beforeAll(async () => {
      url = (await restart('all', { admin: [], all: ['10.0.0.0/8'] })).url;
    });

    it('refuses viewer and public routes with 403 USDT_ERR_502, before authentication', async () => {
      expectIpRefused(await request(url).get('/probe/viewer').set(viewer));
      expectIpRefused(await request(url).get('/probe/viewer'));
      expectIpRefused(await request(url).get('/status'));
      expectIpRefused(await request(url).get('/health'));
    });

    it('keeps the liveness and readiness probes reachable for orchestrators', async () => {
      await request(url).get('/health/live').expect(200);
      await request(url).get('/health/ready').expect(200);
    });
  });

  (HAS_IPV6_LOOPBACK ? describe : describe.skip)('IPv6 and IPv4-mapped clients', () => {
    let servers: Server[] = [];
    let v4: string;
    let v6: string;
    let dualStack: string;

    /** The same application served on another socket (the test app itself listens on 127.0.0.1 only). */
    async function serve(host: string): Promise<number> {
      const server = createServer(app!.app.getHttpAdapter().getInstance());
      servers.push(server);
      await new Promise<void>((resolve) => server.listen(0, host, resolve));
      return (server.address() as AddressInfo).port;
    }

    beforeAll(async () => {
      v4 = (await restart('ipv6', { admin: ['::1/128'], all: ['::1/128', '127.0.0.0/8'] })).url;
      v6 = `http://[::1]:${await serve('::1')}`;
      // A dual-stack socket reports IPv4 peers as ::ffff:127.0.0.1.
      dualStack = `http://127.0.0.1:${await serve('::')}`;
    });

    afterAll(async () => {
      await Promise.all(servers.map((s) => new Promise((resolve) => s.close(resolve))));
      servers = [];
    });

    it('matches an IPv6 client against an IPv6 CIDR', async () => {
      await request(v6).get('/probe/admin').set(admin).expect(200);
      await request(v6).get('/probe/viewer').set(viewer).expect(200);
    });

    it('matches an IPv4-mapped client (::ffff:127.0.0.1) against 127.0.0.0/8', async () => {
      await request(dualStack).get('/probe/viewer').set(viewer).expect(200);
      await request(v4).get('/probe/viewer').set(viewer).expect(200);
    });

    it('does not count IPv4 loopback, mapped or not, as ::1', async () => {
      expectIpRefused(await request(v4).get('/probe/admin').set(admin));
      expectIpRefused(await request(dualStack).get('/probe/admin').set(admin));
    });
  });
});
