import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mongoose from 'mongoose';
import { utils } from 'tronweb';

import { DevnetHandle, startDevnet } from '@app/tron-devnet';

import { allUsdtTransferEvents, transactionKnown, usdtTransfersTo } from '../support/chain-checks';
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

  async function start(dataDir = tempDir(), env: Record<string, string> = {}): Promise<ServiceProcess> {
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
      // Events a killed instance had not delivered to the audit trail are delivered again soon after.
      TRANSFER_EVENT_REDELIVER_AFTER_MS: '1000',
      ...env,
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

  async function listAll(service: ServiceProcess): Promise<TransferBody[]> {
    const all: TransferBody[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
      const res = await api(service, 'GET', `/transfers?limit=200${query}`, viewer);
      expect(res.status).toBe(200);
      const page = res.body as { items: TransferBody[]; nextCursor: string | null };
      all.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return all;
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

  /**
   * Every event of the transfer's history has its audit record, also those whose records the killed process
   * had not stored yet (redelivered after TRANSFER_EVENT_REDELIVER_AFTER_MS). A redelivered event may repeat
   * one already recorded, with the same event number; none may be missing.
   */
  async function expectEveryEventAudited(service: ServiceProcess, id: string): Promise<void> {
    const { history } = (await getTransfer(service, id)) as unknown as { history: Array<{ status: string }> };
    const expected = history.map((entry, i) => [i + 1, `transfer.${entry.status}`]);
    let recorded: Array<[number, string]> = [];
    const deadline = Date.now() + 20_000;
    do {
      const res = await api(service, 'GET', `/audit?subjectId=${id}&limit=100`, admin);
      const items = (res.body as { items: Array<{ action: string; details?: { event?: number } }> }).items;
      recorded = [
        ...new Map(
          items.filter((r) => r.action.startsWith('transfer.')).map((r) => [r.details?.event ?? 0, r.action]),
        ),
      ].sort(([a], [b]) => a - b);
      if (recorded.length >= expected.length) break;
      await sleep(250);
    } while (Date.now() < deadline);
    expect(recorded).toEqual(expected);
    // And the transfer says so itself: every event marked delivered, nothing left for the sweep.
    const connection = await mongoose.createConnection(db.uri, { dbName: 'payments' }).asPromise();
    try {
      let stored: { deliveredEvents?: number[]; eventsPending?: string } | null = null;
      for (let attempt = 0; attempt < 40; attempt++) {
        stored = await connection
          .collection('transfers')
          .findOne<{ deliveredEvents?: number[]; eventsPending?: string }>({ _id: id as never });
        if (stored?.deliveredEvents?.length === history.length && !stored.eventsPending) break;
        await sleep(100);
      }
      expect([...(stored?.deliveredEvents ?? [])].sort((a, b) => a - b)).toEqual(
        history.map((_, i) => i + 1),
      );
      expect(stored?.eventsPending).toBeUndefined();
    } finally {
      await connection.close();
    }
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
        const signed = await waitFor(s, id, ['signed']);
        // The moment the node has it (in its pool, or already in a block): the service, whose answer was
        // dropped, does not know yet.
        const deadline = Date.now() + 10_000;
        while (!(await transactionKnown(devnet.url, signed.txid as string)) && Date.now() < deadline) {
          await sleep(10);
        }
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
      await expectEveryEventAudited(restarted, created.id);
      await restarted.stop('SIGTERM');
    },
    120_000,
  );

  it('SIGKILL while the chain follower settles a block: restart pays each once and gives every fund hold back', async () => {
    const dataDir = tempDir();
    const service = await start(dataDir);
    const recipients = Array.from({ length: 40 }, () => freshAddress());
    const created = await Promise.all(
      recipients.map((to, i) => postTransfer(service, `mid-block-${i}`, to, '0.25')),
    );
    const ours = new Set(created.map((t) => t.id));
    // Killed the moment the follower has settled the first of them: the others of its block are being settled.
    let confirmedAtKill = 0;
    for (const deadline = Date.now() + 60_000; !confirmedAtKill && Date.now() < deadline;) {
      const res = await api(service, 'GET', '/transfers?status=confirmed&limit=200', viewer);
      confirmedAtKill = (res.body as { items: TransferBody[] }).items.filter((t) => ours.has(t.id)).length;
    }
    await service.stop('SIGKILL');
    expect(confirmedAtKill).toBeGreaterThan(0);

    const restarted = await start(dataDir);
    for (const t of created)
      expect((await waitFor(restarted, t.id, ['confirmed'], 60_000, 100)).status).toBe('confirmed');
    await sleep(1_500);
    const paid = (
      await Promise.all(recipients.map((to) => usdtTransfersTo(devnet.url, devnet.info.usdt.address, to)))
    ).map((events) => events.map((e) => e.valueRaw));
    expect(paid).toEqual(recipients.map(() => [250_000n]));
    // Every hold went back: each transaction is in a block, whether the follower saw it before the kill or after.
    const connection = await mongoose.createConnection(db.uri, { dbName: 'payments' }).asPromise();
    try {
      let held: unknown[] = [];
      for (let attempt = 0; attempt < 40; attempt++) {
        const records = await connection.collection('wallet_outflow').find({}).toArray();
        held = records.flatMap((r) =>
          (r.holds as Array<{ transferId: string }>).filter((h) => ours.has(h.transferId)),
        );
        if (!held.length) break;
        await sleep(250);
      }
      expect(held).toEqual([]);
    } finally {
      await connection.close();
    }
    await restarted.stop('SIGTERM');
  }, 150_000);

  it('SIGTERM with payouts in flight: every event is audited once and marked delivered before the exit', async () => {
    // No sweep here: whatever a clean stop leaves undelivered would stay so.
    const service = await start(tempDir(), { TRANSFER_EVENT_REDELIVER_AFTER_MS: '3600000' });
    // Slow node answers keep the pipeline mid-step when the signal comes.
    devnet.setFaults({ delayMs: 150 });
    const created = await Promise.all(
      Array.from({ length: 12 }, (_, i) => postTransfer(service, `sigterm-${i}`, freshAddress(), '0.5')),
    );
    await waitFor(service, created[0].id, ['signed', 'broadcast', 'confirmed']);
    expect(await service.stop('SIGTERM')).toBe(0);
    devnet.setFaults({});

    const ids = created.map((t) => t.id);
    const connection = await mongoose.createConnection(db.uri, { dbName: 'payments' }).asPromise();
    try {
      const stored = await connection
        .collection('transfers')
        .find({ _id: { $in: ids as never[] } })
        .project<{
          _id: string;
          history: Array<{ status: string }>;
          deliveredEvents?: number[];
          eventsPending?: string;
        }>({ history: 1, deliveredEvents: 1, eventsPending: 1 })
        .toArray();
      expect(stored).toHaveLength(ids.length);
      // The stop came mid-pipeline: some moved past `approved`, not every one reached the chain.
      expect(stored.some((t) => t.history.length > 1)).toBe(true);
      const undelivered = stored.filter(
        (t) =>
          t.eventsPending ||
          [...(t.deliveredEvents ?? [])].sort((a, b) => a - b).join() !==
            t.history.map((_, i) => i + 1).join(),
      );
      expect(undelivered).toEqual([]);
      const audited = await connection
        .collection('audit_log')
        .find({ 'subject.type': 'transfer', 'subject.id': { $in: ids } })
        .project<{ subject: { id: string }; details: string }>({ subject: 1, details: 1 })
        .toArray();
      const recorded = audited.map(
        (r) => `${r.subject.id}#${(JSON.parse(r.details) as { event: number }).event}`,
      );
      const expected = stored.flatMap((t) => t.history.map((_, i) => `${t._id}#${i + 1}`));
      expect(recorded.sort()).toEqual(expected.sort());
    } finally {
      await connection.close();
    }
  }, 120_000);

  it('two instances on one database process 200 transfers: 200 on-chain payments, none twice', async () => {
    // Nobody is killed here, so leases need not expire quickly: a short lease would only let a busy instance's
    // work be taken over (and redone) by the other while the shared embedded engine is the bottleneck.
    const steady = { TRANSFER_LEASE_MS: '10000' };
    const [a, b] = await Promise.all([start(tempDir(), steady), start(tempDir(), steady)]);
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
    const ours = new Set(created.map((t) => t.id));
    let pending = [...ours];
    let unfinished: TransferBody[] = [];
    while (pending.length > 0 && Date.now() < deadline) {
      // One listing every two seconds rather than one read per transfer: the embedded engine serves one
      // command at a time, and the test must not be what slows the pipeline down.
      const states = (await listAll(a)).filter((t) => ours.has(t.id));
      expect(states.filter((t) => t.status === 'failed')).toEqual([]);
      unfinished = states.filter((t) => t.status !== 'confirmed');
      pending = unfinished.map((t) => t.id);
      if (pending.length) await sleep(2_000);
    }
    // On a timeout, say where the unfinished ones stand rather than only which they are.
    expect({ pending: pending.length, byStatus: countBy(unfinished), sample: unfinished[0] }).toEqual({
      pending: 0,
      byStatus: {},
      sample: undefined,
    });
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
    // Nobody crashed: every event each instance made reached the audit trail and is marked, none is left for
    // the sweep (which only ends the pending state of one whose marks came out of order, within a second).
    const connection = await mongoose.createConnection(db.uri, { dbName: 'payments' }).asPromise();
    try {
      let unsettled: unknown[] = [];
      for (let attempt = 0; attempt < 30; attempt++) {
        const stored = await connection
          .collection('transfers')
          .find({ _id: { $in: [...ours] as never[] } })
          .project<{ history: unknown[]; deliveredEvents?: number[]; eventsPending?: string }>({
            history: 1,
            deliveredEvents: 1,
            eventsPending: 1,
          })
          .toArray();
        unsettled = stored.filter((t) => t.eventsPending || t.deliveredEvents?.length !== t.history.length);
        if (!unsettled.length) break;
        await sleep(200);
      }
      expect(unsettled).toEqual([]);
    } finally {
      await connection.close();
    }
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
  }, 240_000);

  it('two instances signing for one wallet together never commit more than it holds', async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const racing = utils.accounts.generateAccount();
    const imported = await api(a, 'POST', '/wallets', admin, {
      privateKey: racing.privateKey,
      label: 'racing-two-instances',
    });
    expect(imported.status).toBe(201);
    await devnet.fund(racing.address.base58, { trxSun: 1_000_000_000n, usdtRaw: 10_000_000n });

    // Ten payouts of 3 USDT from 10 USDT, half through each instance, all due at once: exactly three fit.
    const recipients = Array.from({ length: 10 }, () => freshAddress());
    const created = await Promise.all(
      recipients.map(async (to, i) => {
        const res = await api(
          i % 2 ? b : a,
          'POST',
          '/transfer',
          { ...operator, 'Idempotency-Key': `racing-two-${i}` },
          { to, amount: '3', wallet: 'racing-two-instances' },
        );
        expect(res.status).toBe(202);
        return res.body as TransferBody;
      }),
    );
    type View = TransferBody & { waiting: { code: string } | null };
    let views: View[] = [];
    for (const deadline = Date.now() + 60_000; Date.now() < deadline; await sleep(250)) {
      views = (await Promise.all(created.map((t) => getTransfer(a, t.id)))) as View[];
      const confirmed = views.filter((v) => v.status === 'confirmed').length;
      const waiting = views.filter((v) => v.waiting?.code === 'USDT_ERR_200').length;
      if (confirmed === 3 && confirmed + waiting === views.length) break;
    }
    expect(countBy(views)).toEqual({ confirmed: 3, approved: 7 });
    expect(views.filter((v) => v.waiting?.code === 'USDT_ERR_200')).toHaveLength(7);
    // On chain: three payments of 3 USDT left the wallet, none reverted, 1 USDT is left.
    const paid = (
      await Promise.all(recipients.map((to) => usdtTransfersTo(devnet.url, devnet.info.usdt.address, to)))
    ).flat();
    expect(paid.map((e) => e.valueRaw)).toEqual([3_000_000n, 3_000_000n, 3_000_000n]);
    expect(devnet.chain.usdt.balanceOf(utils.address.toHex(racing.address.base58).toLowerCase())).toBe(
      1_000_000n,
    );
    await Promise.all([a.stop('SIGTERM'), b.stop('SIGTERM')]);
  }, 120_000);
});

function countBy(transfers: TransferBody[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const t of transfers) counts[t.status] = (counts[t.status] ?? 0) + 1;
  return counts;
}
