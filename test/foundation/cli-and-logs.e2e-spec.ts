import { sign } from 'jsonwebtoken';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';

import { runCli, ServiceProcess, spawnService } from '../support/service-process';

const TOKEN_CLI = 'apps/usdt-manager/src/cli/token.ts';
const WALLETS_CLI = 'apps/usdt-manager/src/cli/wallets.ts';
const DEVNET_CLI = 'apps/tron-devnet/src/main.ts';
const API = '/api/v1/tron/usdt';

interface LogLine {
  level: number;
  msg: string;
  context?: string;
  err?: unknown;
  [key: string]: unknown;
}

/** The service's JSON log lines (anything else it printed is left out). */
function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as LogLine);
}

const PINO = { debug: 20, info: 30, warn: 40, error: 50 };

/**
 * The CLIs and the logs as an operator meets them: the real service process on the embedded engine and
 * devnet, with a data directory of its own, and each CLI spawned beside it.
 */
describe('CLIs that cannot hurt, and logs an operator can read', () => {
  let dataDir: string;
  let service: ServiceProcess;
  let env: Record<string, string>;
  const tokens = new Map<string, string>();
  /** A token minted by the real CLI (each run costs a few seconds, so once per subject). */
  const tokenOf = (role: string, sub: string) => {
    if (!tokens.has(sub)) {
      const res = runCli(TOKEN_CLI, ['--role', role, '--sub', sub], env);
      expect(res.status).toBe(0);
      tokens.set(sub, res.stdout.trim());
    }
    return tokens.get(sub)!;
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'usdt-cli-'));
    // Debug, so the test sees where the start-up chatter and the token refusals went.
    env = { DATA_DIR: dataDir, LOG_LEVEL: 'debug', DEVNET_BLOCK_MS: '500' };
    service = await spawnService(env);
    await service.waitReady();
  });

  afterAll(async () => {
    await service?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('holds a lock on its data directory naming its pid', () => {
    const lock = JSON.parse(readFileSync(join(dataDir, 'usdt-manager.lock'), 'utf8')) as { pid: number };
    expect(lock).toMatchObject({ pid: service.child.pid, command: 'service' });
  });

  it('refuses `wallets list` on the live data while the service runs, naming its pid', () => {
    for (const args of [['list'], ['list', '--no-balances']]) {
      const res = runCli(WALLETS_CLI, args, env);
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`is in use by process ${service.child.pid} (service`);
      expect(res.stderr).toContain('--url');
      expect(res.stdout).toBe('');
    }
  });

  it('refuses to start a second service on the same data directory, naming the first', async () => {
    const second = await spawnService(env);
    expect(await second.exited).toBe(1);
    expect(second.output()).toContain(`is in use by process ${service.child.pid}`);
  });

  it('lists wallets through the running service with a token instead', () => {
    const token = tokenOf('viewer', 'ops');
    const res = runCli(WALLETS_CLI, ['list', '--json', '--url', service.url], {
      ...env,
      USDT_MANAGER_TOKEN: token,
    });
    expect(res.status).toBe(0);
    const listings = JSON.parse(res.stdout) as Array<{ label: string; disabled: boolean; usdt: string }>;
    expect(listings).toEqual([expect.objectContaining({ label: 'default', disabled: false })]);
    // A token the service refuses ends with its catalogue code, not a stack.
    const refused = runCli(WALLETS_CLI, ['list', '--url', service.url], {
      ...env,
      USDT_MANAGER_TOKEN: 'nope',
    });
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(/^wallets: USDT_ERR_500 /);
  });

  it('refuses `npm run token` on a DATA_DIR without development secrets, naming the missing file', () => {
    const empty = mkdtempSync(join(tmpdir(), 'usdt-empty-'));
    try {
      const res = runCli(TOKEN_CLI, ['--role', 'admin', '--sub', 'alice'], { DATA_DIR: empty });
      expect(res.status).toBe(1);
      expect(res.stderr).toContain(`${join(empty, 'dev-secrets.json')} does not exist`);
      expect(res.stdout).toBe('');
      // It created nothing: a new secret would make tokens the service rejects.
      expect(existsSync(join(empty, 'dev-secrets.json'))).toBe(false);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('answers --help on every CLI', () => {
    for (const [script, usage] of [
      [TOKEN_CLI, 'Usage: npm run token --'],
      [WALLETS_CLI, 'Usage: npm run wallets --'],
      [DEVNET_CLI, 'Usage: npm run devnet --'],
    ]) {
      const res = runCli(script, ['--help'], env);
      expect(res.status).toBe(0);
      expect(res.stdout).toContain(usage);
    }
    const list = runCli(WALLETS_CLI, ['list', '--help'], env);
    expect(list.stdout).toContain('--no-balances');
    const bad = runCli(TOKEN_CLI, ['--role', 'boss', '--sub', 'x'], env);
    expect(bad.status).toBe(64);
    expect(bad.stderr).toContain("argument 'boss' is invalid");
  });

  it('logs route mapping at debug only, never at info', () => {
    const mapped = logLines(service.output()).filter((line) => /Mapped \{/.test(line.msg));
    expect(mapped.length).toBeGreaterThan(30);
    expect(mapped.every((line) => line.level === PINO.debug)).toBe(true);
  });

  it('logs why a token was refused at debug, naming the request, without the token', async () => {
    const secret = (
      JSON.parse(readFileSync(join(dataDir, 'dev-secrets.json'), 'utf8')) as { JWT_SECRET: string }
    ).JWT_SECRET;
    const expired = sign({ roles: ['viewer'], exp: Math.floor(Date.now() / 1000) - 60 }, secret, {
      algorithm: 'HS256',
      subject: 'late',
    });
    const forged = sign({ roles: ['viewer'] }, 'another-secret-that-is-long-enough-0123456789', {
      algorithm: 'HS256',
      subject: 'mallory',
    });
    for (const token of [expired, forged]) {
      await request(service.url).get(`${API}/transfers`).set('Authorization', `Bearer ${token}`).expect(401);
    }
    await expectEventually(() => {
      // Earlier tests sent a malformed token too (`jwt malformed`): every refusal is at debug.
      const refusals = logLines(service.output()).filter((line) => line.msg.startsWith('token refused'));
      expect(refusals.map((line) => line.msg)).toEqual(
        expect.arrayContaining([
          'token refused: TokenExpiredError: jwt expired',
          'token refused: JsonWebTokenError: invalid signature',
        ]),
      );
      expect(refusals.every((line) => line.level === PINO.debug)).toBe(true);
      // A line logged while serving a request shows that request, as the access line does.
      const ours = refusals.filter((line) => /jwt expired|invalid signature/.test(line.msg));
      expect(ours.map((line) => line.req)).toEqual([
        expect.objectContaining({ method: 'GET', url: `${API}/transfers`, id: expect.any(String) }),
        expect.objectContaining({ method: 'GET', url: `${API}/transfers`, id: expect.any(String) }),
      ]);
    });
    expect(service.output()).not.toContain(expired);
    expect(service.output()).not.toContain(forged);
  });

  it('logs a request refused by the emergency stop as one warn line without a stack', async () => {
    const admin = (sub: string) => `Bearer ${tokenOf('admin', sub)}`;
    await request(service.url)
      .post(`${API}/admin/emergency-stop`)
      .set('Authorization', admin('admin-1'))
      .send({ reason: 'drill' })
      .expect(200);
    const refused = await request(service.url)
      .post(`${API}/transfer`)
      .set('Authorization', admin('admin-1'))
      .set('Idempotency-Key', 'cli-logs-refused-1')
      .send({ to: 'TR7NHqjeKQxGTCi8q8ZY4pL8otSzgjLj6t', amount: '1' })
      .expect(503);
    const requestId = refused.headers['x-request-id'];
    expect(refused.body.error.code).toBe('USDT_ERR_703');

    await expectEventually(() => {
      const lines = logLines(service.output()).filter(
        (line) => JSON.stringify(line).includes(requestId) && line.level >= PINO.info,
      );
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatchObject({ level: PINO.warn, code: 'USDT_ERR_703' });
      // The request as the serializer writes it: four fields, no header (the token stays out of the log).
      expect(lines[0].req).toEqual({
        id: requestId,
        method: 'POST',
        url: `${API}/transfer`,
        remoteAddress: expect.stringMatching(/127\.0\.0\.1/),
      });
      expect(lines[0].res).toEqual({ statusCode: 503 });
      expect(lines[0].msg).toContain('refused: USDT_ERR_703');
      expect(JSON.stringify(lines[0])).not.toMatch(/stack| {4}at /);
    });
    for (const sub of ['admin-1', 'admin-2']) {
      await request(service.url)
        .post(`${API}/admin/resume`)
        .set('Authorization', admin(sub))
        .send({})
        .expect(200);
    }
  });

  it('ends a clean shutdown with a "stopped" line and releases the data directory', async () => {
    expect(await service.stop('SIGTERM')).toBe(0);
    const lines = logLines(service.output());
    expect(lines.at(-1)).toMatchObject({ level: PINO.info, msg: 'stopped' });
    expect(existsSync(join(dataDir, 'usdt-manager.lock'))).toBe(false);
    // Now the CLI may open the data itself.
    const res = runCli(WALLETS_CLI, ['list', '--no-balances', '--json'], env);
    expect(res.status).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual([expect.objectContaining({ label: 'default', usdt: null })]);
  });
});

async function expectEventually(assertion: () => void, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      assertion();
      return;
    } catch (err) {
      if (Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
