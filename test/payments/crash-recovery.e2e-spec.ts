import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { utils } from 'tronweb';

import { DevnetHandle, startDevnet } from '@app/tron-devnet';

import { allUsdtTransferEvents, usdtTransfersTo } from '../support/chain-checks';
import { FAST_PIPELINE_ENV, freshAddress } from '../support/payment-stack';
import { ServiceProcess, spawnService } from '../support/service-process';
import { startTestDatabase, TestDatabase } from '../support/test-database';
import { bearer, TEST_JWT_SECRET, tokenFor } from '../support/tokens';

const API = '/api/v1/tron/usdt';
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const admin = bearer(tokenFor('admin', { sub: 'admin-1' }));
const operator = bearer(tokenFor('operator', { sub: 'operator-1' }));
const viewer = bearer(tokenFor('viewer', { sub: 'viewer-1' }));

interface TransferBody {
  id: string;
  status: string;
  txid: string | null;
  to: string;
  amountRaw: string;
}

/**
 * The service as real processes on one database: SIGKILL at each pipeline step, restart, and check on the
 * chain (the devnet's TronGrid API) that every transfer was paid exactly once.
 */
describe('crash recovery: SIGKILL at each pipeline step, and two instances on one database', () => {
  let devnet: DevnetHandle;
  let db: TestDatabase;
  const dirs: string[] = [];
  const running: ServiceProcess[] = [];
  const masterKey = randomBytes(32).toString('base64');

  const tempDir = () => {
    const dir = mkdtempSync(join(tmpdir(), 'usdt-crash-'));
    dirs.push(dir);
    return dir;
  };

  async function start(dataDir = tempDir()): Promise<ServiceProcess> {
    const service = await spawnService({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      MONGODB_URI: db.uri,
      MONGODB_DATABASE: 'payments',
      TRON_FULL_HOST: devnet.url,
      USDT_CONTRACT_ADDRESS: devnet.info.usdt.address,
      JWT_SECRET: TEST_JWT_SECRET,
      WALLET_MASTER_KEY: masterKey,
      ...FAST_PIPELINE_ENV,
      TRANSFER_LEASE_MS: '2000',
    });
    running.push(service);
    await service.waitReady();
    return service;
  }

  async function api(
    service: ServiceProcess,
    method: 'GET' | 'POST',
    path: string,
    headers: Record<string, string>,
    body?: unknown,
  ): Promise<{ status: number; body: unknown }> {
    const res = await fetch(`${service.url}${API}${path}`, {
      method,
      headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, body: await res.json() };
  }

  async function postTransfer(
    service: ServiceProcess,
    key: string,
    to: string,
    amount: string,
  ): Promise<TransferBody> {
    const res = await api(
      service,
      'POST',
      '/transfer',
      { ...operator, 'Idempotency-Key': key },
      { to, amount },
    );
    expect(res.status).toBe(202);
    return res.body as TransferBody;
  }

  async function getTransfer(service: ServiceProcess, id: string): Promise<TransferBody> {
    const res = await api(service, 'GET', `/transfers/${id}`, viewer);
    expect(res.status).toBe(200);
    return res.body as TransferBody;
  }

  async function waitFor(
    service: ServiceProcess,
    id: string,
    statuses: string[],
    timeoutMs = 60_000,
    everyMs = 20,
  ): Promise<TransferBody> {
    const deadline = Date.now() + timeoutMs;
    let last: TransferBody | undefined;
    while (Date.now() < deadline) {
      last = await getTransfer(service, id);
      if (statuses.includes(last.status)) return last;
      await sleep(everyMs);
    }
    throw new Error(`transfer ${id} did not reach ${statuses.join('|')}; last ${JSON.stringify(last)}`);
  }

  async function expectPaidExactlyOnce(to: string, amountRaw: bigint, txid: string): Promise<void> {
    const events = await usdtTransfersTo(devnet.url, devnet.info.usdt.address, to);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ txid, to, valueRaw: amountRaw });
    expect(devnet.chain.usdt.balanceOf(utils.address.toHex(to).toLowerCase())).toBe(amountRaw);
  }

  beforeAll(async () => {
    devnet = await startDevnet({ port: 0, blockIntervalMs: 300, solidityLag: 3, onError: () => undefined });
    db = await startTestDatabase();
    const first = await start();
    const hot = devnet.info.accounts[1];
    const res = await api(first, 'POST', '/wallets', admin, { privateKey: hot.privateKey, label: 'default' });
    expect(res.status).toBe(201);
    await first.stop('SIGTERM');
  }, 60_000);

  afterEach(() => {
    devnet.setFaults({});
  });

  afterAll(async () => {
    for (const s of running) await s.stop('SIGKILL');
    await db?.stop();
    await devnet?.stop();
    dirs.forEach((d) => rmSync(d, { recursive: true, force: true }));
  });

  const steps: Array<{
    step: string;
    /** fault that widens the window in which the process is killed */
    fault?: Parameters<DevnetHandle['setFaults']>[0];
    /** the moment to SIGKILL */
    killWhen: (service: ServiceProcess, id: string) => Promise<void>;
  }> = [
    {
      step: 'right after the POST is accepted (approved, nothing signed yet)',
      fault: { delayMs: 1_000 },
      killWhen: () => Promise.resolve(),
    },
    {
      step: 'signed, the signed bytes stored but every broadcast refused',
      fault: { broadcast: { mode: 'error', code: 'SERVER_BUSY' } },
      killWhen: async (s, id) => void (await waitFor(s, id, ['signed'])),
    },
    {
      step: 'signed, broadcast landed but its response was dropped',
      fault: { broadcast: { mode: 'drop-response' }, delayMs: 0 },
      killWhen: async (s, id) => {
        await waitFor(s, id, ['signed']);
        const deadline = Date.now() + 10_000;
        while (devnet.chain.pending.length === 0 && Date.now() < deadline) await sleep(10);
      },
    },
    {
      step: 'broadcast, not yet solidified',
      killWhen: async (s, id) => void (await waitFor(s, id, ['broadcast'], 60_000, 10)),
    },
  ];

  it.each(steps.map((s, i) => [s.step, i] as const))(
    'SIGKILL at step: %s -> restart resumes and pays exactly once',
    async (_title, index) => {
      const { fault, killWhen } = steps[index];
      const dataDir = tempDir();
      const service = await start(dataDir);
      if (fault) devnet.setFaults(fault);
      const to = freshAddress();
      const created = await postTransfer(service, `crash-step-${index}`, to, '1.5');
      await killWhen(service, created.id);
      const before = await getTransfer(service, created.id);
      await service.stop('SIGKILL');
      devnet.setFaults({});
      expect(before.status).not.toBe('confirmed');

      const restarted = await start(dataDir);
      const done = await waitFor(restarted, created.id, ['confirmed', 'failed'], 60_000, 150);
      expect(done.status).toBe('confirmed');
      if (before.txid) expect(done.txid).toBe(before.txid); // a stored signed tx is resent, never rebuilt
      await sleep(1_500);
      await expectPaidExactlyOnce(to, 1_500_000n, done.txid as string);
      await restarted.stop('SIGTERM');
    },
    120_000,
  );

  it('two instances on one database process 200 transfers: 200 on-chain payments, none twice', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const recipients = Array.from({ length: 200 }, () => freshAddress());
    const created: TransferBody[] = [];
    for (let i = 0; i < 200; i += 20) {
      const batch = recipients.slice(i, i + 20);
      created.push(
        ...(await Promise.all(
          batch.map((to, k) => postTransfer((i + k) % 2 === 0 ? a : b, `two-instances-${i + k}`, to, '0.25')),
        )),
      );
    }
    expect(new Set(created.map((t) => t.id)).size).toBe(200);

    const deadline = Date.now() + 180_000;
    let pending = created.map((t) => t.id);
    while (pending.length > 0 && Date.now() < deadline) {
      const states = await Promise.all(pending.map((id) => getTransfer(a, id)));
      expect(states.filter((t) => t.status === 'failed')).toEqual([]);
      pending = states.filter((t) => t.status !== 'confirmed').map((t) => t.id);
      if (pending.length) await sleep(1_000);
    }
    expect(pending).toEqual([]);
    await sleep(1_500);

    const wanted = new Set(recipients.map((r) => utils.address.toHex(r).toLowerCase()));
    const events = (await allUsdtTransferEvents(devnet.url, devnet.info.usdt.address)).filter((e) =>
      wanted.has(e.toHex),
    );
    const perRecipient = new Map<string, number>();
    for (const e of events) perRecipient.set(e.toHex, (perRecipient.get(e.toHex) ?? 0) + 1);
    expect(events).toHaveLength(200);
    expect(new Set(events.map((e) => e.txid)).size).toBe(200);
    expect([...perRecipient.values()].filter((n) => n !== 1)).toEqual([]);
    expect(perRecipient.size).toBe(200);
    expect(events.every((e) => e.valueRaw === 250_000n)).toBe(true);
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
  }, 240_000);
});
