import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { childPids, commandOf, runCli, spawnService } from '../support/service-process';
import { startTestDatabase } from '../support/test-database';

/** The service as an operator runs it: its own process, configured only through the environment. */
describe('the service process', () => {
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'usdt-proc-'));
    dirs.push(dir);
    return dir;
  };
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it('runs on the embedded engine, keeps its data across a restart, and stops it on SIGTERM', async () => {
    const dataDir = tempDir();
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };

    const first = await spawnService(env);
    await first.waitReady();
    const status = (await (await fetch(`${first.url}/status`)).json()) as { database: { engine: string } };
    expect(status.database.engine).toBe('embedded');
    const engines = childPids(first.child.pid!).filter((pid) => commandOf(pid).includes('embedded-mongo'));
    expect(engines).toHaveLength(1);

    // A token minted by the CLI before the restart must still be accepted after it: the generated dev
    // secret is kept under DATA_DIR with owner-only permissions.
    const token = runCli('apps/usdt-manager/src/cli/token.ts', ['--role', 'viewer', '--sub', 'ops'], env);
    expect(token.status).toBe(0);
    expect(statSync(join(dataDir, 'dev-secrets.json')).mode & 0o777).toBe(0o600);
    const auth = { Authorization: `Bearer ${token.stdout.trim()}` };
    // The first start created and funded a default hot wallet on the embedded devnet, stored in the database.
    const walletsBefore = (await (
      await fetch(`${first.url}/api/v1/tron/usdt/wallets`, { headers: auth })
    ).json()) as Array<{ address: string }>;
    expect(walletsBefore).toHaveLength(1);

    expect(await first.stop('SIGTERM')).toBe(0);
    expect(childPids(first.child.pid!)).toEqual([]);
    for (const pid of engines) expect(commandOf(pid)).toBe('');

    const second = await spawnService(env);
    try {
      await second.waitReady();
      const res = await fetch(`${second.url}/status`, {
        headers: { Authorization: `Bearer ${token.stdout.trim()}` },
      });
      expect(res.status).toBe(200);
    } finally {
      await second.stop();
    }
  });

  it('uses MONGODB_URI when set and starts no engine of its own', async () => {
    const db = await startTestDatabase();
    const service = await spawnService({ DATA_DIR: tempDir(), MONGODB_URI: db.uri, LOG_LEVEL: 'warn' });
    try {
      await service.waitReady();
      const status = (await (await fetch(`${service.url}/status`)).json()) as {
        database: { engine: string };
      };
      expect(status.database.engine).toBe('external');
      const engines = childPids(service.child.pid!).filter((pid) =>
        commandOf(pid).includes('embedded-mongo'),
      );
      expect(engines).toEqual([]);
    } finally {
      await service.stop();
      await db.stop();
    }
  });

  it('exits non-zero naming every malformed variable', async () => {
    const service = await spawnService({
      DATA_DIR: tempDir(),
      PORT: '3000',
      LOG_LEVEL: 'loud',
      MONGODB_URI: 'postgres://x',
    });
    expect(await service.exited).not.toBe(0);
    expect(service.output()).toMatch(/LOG_LEVEL/);
    expect(service.output()).toMatch(/MONGODB_URI: .*mongodb:\/\//);
  });

  it('requires real secrets in production instead of generating them', async () => {
    const service = await spawnService({ DATA_DIR: tempDir(), NODE_ENV: 'production' });
    expect(await service.exited).not.toBe(0);
    expect(service.output()).toMatch(/JWT_SECRET/);
    expect(service.output()).toMatch(/WALLET_MASTER_KEY/);
  });

  it('refuses to mint development tokens in production', () => {
    const result = runCli('apps/usdt-manager/src/cli/token.ts', ['--role', 'admin', '--sub', 'x'], {
      DATA_DIR: tempDir(),
      NODE_ENV: 'production',
      JWT_SECRET: 'a-production-secret-that-is-long-enough-0123456789',
      WALLET_MASTER_KEY: Buffer.alloc(32, 7).toString('base64'),
    });
    expect(result.status).not.toBe(0);
    expect(result.stderr).toMatch(/refusing/);
    expect(result.stdout).toBe('');
  });
});
