import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { childPids, commandOf, runCli, ServiceProcess, spawnService } from '../support/service-process';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function enginePid(service: ServiceProcess): number | undefined {
  return childPids(service.child.pid!).find((pid) => commandOf(pid).includes('embedded-mongo'));
}

/** Waits for an engine process other than `previous` under the service; undefined if none within `ms`. */
async function nextEngine(
  service: ServiceProcess,
  previous: number,
  ms = 30_000,
): Promise<number | undefined> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline && service.child.exitCode === null) {
    const pid = enginePid(service);
    if (pid !== undefined && pid !== previous) return pid;
    await sleep(100);
  }
  return undefined;
}

/**
 * The embedded engine the service started itself dies (SIGKILL: the OOM killer, an operator's mistake). The
 * service restarts it on its data and serves on; one that keeps dying ends the service with exit code 1.
 */
describe('embedded engine death: restarted on its data, or the service exits; never serving without it', () => {
  let dataDir: string;
  let service: ServiceProcess | undefined;

  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'usdt-engine-death-'));
  });
  afterEach(async () => {
    await service?.stop('SIGKILL');
    service = undefined;
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function startService(): Promise<{ service: ServiceProcess; auth: Record<string, string> }> {
    const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn' };
    service = await spawnService(env);
    await service.waitReady();
    const token = runCli('apps/usdt-manager/src/cli/token.ts', ['--role', 'viewer', '--sub', 'ops'], env);
    expect(token.status).toBe(0);
    return { service, auth: { Authorization: `Bearer ${token.stdout.trim()}` } };
  }

  it('restarts a killed engine on the same data and address, and the service recovers by itself', async () => {
    const { service, auth } = await startService();
    const wallets = `${service.url}/api/v1/tron/usdt/wallets`;
    const before = (await (await fetch(wallets, { headers: auth })).json()) as Array<{ address: string }>;
    expect(before).toHaveLength(1); // the default hot wallet the first start created
    const first = enginePid(service);
    expect(first).toBeDefined();

    const killedAt = Date.now();
    process.kill(first!, 'SIGKILL');
    // Meanwhile no request is served as if all were well: the database is away, so 503 USDT_ERR_600.
    const during = await fetch(wallets, { headers: auth });
    if (during.status !== 200) {
      expect(during.status).toBe(503);
      expect(((await during.json()) as { error: { code: string } }).error.code).toBe('USDT_ERR_600');
    }

    const second = await nextEngine(service, first!);
    expect(second).toBeDefined();
    expect(commandOf(first!)).toBe('');
    let readyAfter = -1;
    while (Date.now() - killedAt < 30_000) {
      if ((await fetch(`${service.url}/health/ready`)).status === 200) {
        readyAfter = Date.now() - killedAt;
        break;
      }
      await sleep(100);
    }
    process.stdout.write(
      `[engine-death] engine restarted, service ready again ${readyAfter} ms after SIGKILL\n`,
    );
    expect(readyAfter).toBeGreaterThanOrEqual(0);

    // Same process, same data: what the first engine acknowledged is still there.
    expect(service.child.exitCode).toBeNull();
    const after = (await (await fetch(wallets, { headers: auth })).json()) as Array<{ address: string }>;
    expect(after.map((w) => w.address)).toEqual(before.map((w) => w.address));
    expect(service.output()).toMatch(/embedded engine died \(killed by SIGKILL\): restarting it on its data/);
  });

  it('exits with code 1 when the engine keeps dying, instead of serving on without it', async () => {
    const { service } = await startService();
    let pid = enginePid(service);
    // Three restarts are allowed within a minute; the fourth death is given up on.
    for (let death = 1; death <= 4; death++) {
      expect(pid).toBeDefined();
      process.kill(pid!, 'SIGKILL');
      if (death === 4) break;
      pid = await nextEngine(service, pid!);
      // Kill the restarted engine only once it serves (one killed while starting is a failed start instead).
      await service.waitReady(30_000);
    }
    let timer: NodeJS.Timeout | undefined;
    const code = await Promise.race([
      service.exited,
      new Promise((r) => (timer = setTimeout(() => r('still running'), 20_000))),
    ]).finally(() => clearTimeout(timer));
    expect({ code, output: service.output().slice(-3000) }).toMatchObject({ code: 1 });
    expect(service.output()).toMatch(
      /embedded engine is gone \(killed by SIGKILL; it died 4 times within 60 s\): exiting/,
    );
    expect(childPids(service.child.pid!)).toEqual([]);
  });
});
