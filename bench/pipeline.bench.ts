import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MongoClient } from 'mongodb';
import { utils } from 'tronweb';

import { DatabaseEngine } from '@app/database';

import { writePolicyFile } from '../test/support/policy-file';
import { bearer, TEST_JWT_SECRET, tokenFor } from '../test/support/tokens';
import { latency, Latency, round, saveSection } from './support/results';

/**
 * The payout pipeline end to end, on the embedded defaults (the service as `npm start` runs it: the H2 engine
 * and the in-process devnet, here with 1 s blocks), one hot wallet, shipped policies with limits and approval
 * thresholds out of the way (screening and monitoring stay on). Phases: a batch of payouts (chunks of 500),
 * then single POSTs at 50 concurrent; then both again after filling the database with finished transfers.
 * Reports payouts/s to broadcast and to confirmed, intake latency, node calls and database commands per
 * payout (the service's own metrics), confirmation lag after solidification and the service's RSS.
 * Prints results; asserts nothing.
 */

const PAYOUTS = Number(process.env.PIPELINE_BENCH_PAYOUTS ?? 2000);
const STORED = Number(process.env.PIPELINE_BENCH_STORED ?? 50_000);
const CHUNK = 500;
const CONCURRENCY = 50;
const BLOCK_MS = 1000;
const SOLIDITY_LAG = 19;
const PHASE_TIMEOUT_MS = Number(process.env.PIPELINE_BENCH_PHASE_TIMEOUT_MS ?? 20 * 60_000);
/** A file for the service's log (warnings and errors, slow database commands among them); dropped when unset. */
const SERVICE_LOG = process.env.PIPELINE_BENCH_SERVICE_LOG;
const API = '/api/v1/tron/usdt';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- HTTP JSON

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY + 4 });
const operator = bearer(tokenFor('operator', { sub: 'bench-operator', expiresIn: '4h' }));
const admin = bearer(tokenFor('admin', { sub: 'bench-admin', expiresIn: '4h' }));

function http(
  base: string,
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body?: unknown,
): Promise<{ status: number; text: string }> {
  const text = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${path}`,
      {
        method,
        agent,
        headers: {
          ...headers,
          ...(text !== undefined && {
            'content-type': 'application/json',
            'content-length': String(Buffer.byteLength(text)),
          }),
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
      },
    );
    req.on('error', reject);
    req.end(text);
  });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Service {
  url: string;
  devnetUrl: string;
  databaseUri: string;
  hotWallet: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/**
 * The service as a child process, so its RSS and CPU are its own; figures from its /metrics. The embedded
 * engine (H2, as `npm start` runs it) is started here and handed over as MONGODB_URI, so the bench can fill it.
 */
async function startService(): Promise<Service> {
  const dataDir = mkdtempSync(join(tmpdir(), 'usdt-pipeline-bench-'));
  const engine = await DatabaseEngine.start({
    dbName: 'usdt_manager',
    embeddedDataDir: join(dataDir, 'db'),
    embeddedFsync: false,
    commandMetrics: false,
  });
  const [port, devnetPort] = [await freePort(), await freePort()];
  const policyFile = writePolicyFile((doc) => {
    const huge = '1000000000';
    doc.limits.singleMax = huge;
    doc.limits.walletDaily = huge;
    doc.limits.walletMonthly = huge;
    doc.limits.networkDaily = huge;
    doc.limits.destinationVelocity = { windowMinutes: 1, maxCount: 1_000_000, maxVolume: huge };
    for (const level of Object.keys(doc.kyc.levels))
      doc.kyc.levels[level] = { singleMax: huge, dailyMax: huge };
    doc.approvals.workflows.high_value.threshold = huge;
    doc.approvals.workflows.batch_transfer.threshold = huge;
    // Thousands of payouts in minutes is the point here, not something to hold for review.
    doc.monitoring.velocity.maxCount = 1_000_000;
  });
  const child = spawn(
    process.execPath,
    [
      // PIPELINE_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the service, written when it stops.
      ...(process.env.PIPELINE_BENCH_CPU_PROF
        ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PIPELINE_BENCH_CPU_PROF}`]
        : []),
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/usdt-manager/src/main.ts',
    ],
    {
      cwd: join(__dirname, '..'),
      env: {
        ...process.env,
        NODE_ENV: 'development',
        LOG_LEVEL: 'warn',
        PORT: String(port),
        DATA_DIR: dataDir,
        JWT_SECRET: TEST_JWT_SECRET,
        POLICY_FILE: policyFile,
        DEVNET_BLOCK_MS: String(BLOCK_MS),
        DEVNET_SOLIDITY_LAG: String(SOLIDITY_LAG),
        DEVNET_PORT: String(devnetPort),
        MONGODB_COMMAND_METRICS: 'true',
        MONGODB_URI: engine.uri,
      },
      stdio: ['ignore', SERVICE_LOG ? openSync(SERVICE_LOG, 'w') : 'ignore', 'inherit'],
    },
  );
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 180_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the service exited with ${child.exitCode} at start`);
    const ready = await http(url, 'GET', '/health/ready').catch(() => ({ status: 0 }));
    if (ready.status === 200) break;
    if (Date.now() > deadline) throw new Error('the service did not become ready in 180 s');
    await sleep(500);
  }
  const service = {
    url,
    devnetUrl: `http://127.0.0.1:${devnetPort}`,
    databaseUri: engine.uri,
    dataDir,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
      await engine.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
    hotWallet: '',
  };
  service.hotWallet = await hotWalletOf(service);
  return service;
}

/** Prometheus counters (summed over the labels not named) from the service's /metrics. */
async function counters(service: Service): Promise<Map<string, number>> {
  const text = (await http(service.url, 'GET', '/metrics')).text;
  const out = new Map<string, number>();
  const add = (key: string, value: number) => out.set(key, (out.get(key) ?? 0) + value);
  for (const m of text.matchAll(
    /^tron_node_call_duration_seconds_count\{endpoint="([^"]+)"[^}]*\} (\d+)/gm,
  )) {
    add(`node ${m[1]}`, Number(m[2]));
  }
  for (const m of text.matchAll(
    /^mongodb_commands_total\{command="([^"]+)",collection="([^"]*)"\} (\d+)/gm,
  )) {
    add(`db ${m[2] || '(none)'} ${m[1]}`, Number(m[3]));
  }
  for (const m of text.matchAll(
    /^usdt_transfer_transitions_total\{kind="transfer",status="([^"]+)"\} (\d+)/gm,
  )) {
    add(`status ${m[1]}`, Number(m[2]));
  }
  return out;
}

function delta(
  after: Map<string, number>,
  before: Map<string, number>,
  prefix: string,
): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, value] of after) {
    if (!key.startsWith(prefix)) continue;
    const d = value - (before.get(key) ?? 0);
    if (d > 0) out[key.slice(prefix.length)] = d;
  }
  return out;
}

const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

function rssMiB(child: ChildProcess): number {
  const status = readFileSync(`/proc/${child.pid}/status`, 'utf8');
  return round(Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024, 0);
}

/** The default hot wallet's address, asked once (the devnet bootstrap creates and funds it). */
async function hotWalletOf(service: Service): Promise<string> {
  const res = await http(service.url, 'GET', `${API}/wallets`, admin);
  if (res.status !== 200) throw new Error(`GET /wallets answered ${res.status}: ${res.text.slice(0, 300)}`);
  const wallets = JSON.parse(res.text) as Json;
  return ((wallets.items ?? wallets) as Json[])[0].address as string;
}

async function fundHotWallet(service: Service, payouts: number): Promise<void> {
  // Up to 55 TRX of energy and bandwidth per payout to a new holder; USDT 1 each.
  const res = await http(
    service.devnetUrl,
    'POST',
    '/devnet/fund',
    {},
    {
      address: service.hotWallet,
      trxSun: String(BigInt(payouts) * 60_000_000n),
      usdtRaw: String(BigInt(payouts) * 1_000_000n),
    },
  );
  if (res.status !== 200) throw new Error(`devnet fund answered ${res.status}: ${res.text}`);
}

interface PhaseResult {
  phase: string;
  payouts: number;
  toBroadcastPerS: number;
  toConfirmedPerS: number;
  intake: Latency;
  nodeCallsPerPayout: number;
  nodeCalls: Record<string, number>;
  dbCommandsPerPayout: number;
  dbCommands: Record<string, number>;
  /** confirmedAt minus the time the block solidified (blockTimestamp + lag x block time), ms */
  confirmationLag: Latency;
  rssMiB: number;
}

async function waitForCounts(
  service: Service,
  before: Map<string, number>,
  payouts: number,
  startedAt: number,
): Promise<{ broadcastAt: number; confirmedAt: number }> {
  let broadcastAt = 0;
  const deadline = startedAt + PHASE_TIMEOUT_MS;
  for (;;) {
    const now = await counters(service);
    const moved = (status: string) =>
      (now.get(`status ${status}`) ?? 0) - (before.get(`status ${status}`) ?? 0);
    if (!broadcastAt && moved('broadcast') >= payouts) broadcastAt = Date.now();
    if (moved('confirmed') + moved('failed') >= payouts) return { broadcastAt, confirmedAt: Date.now() };
    if (Date.now() > deadline) {
      console.error(`transitions so far: ${JSON.stringify(delta(now, before, 'status '))}`);
      throw new Error(
        `phase timed out: ${moved('broadcast')} broadcast, ${moved('confirmed')} confirmed of ${payouts}`,
      );
    }
    await sleep(250);
  }
}

async function confirmationLags(service: Service, ids: string[]): Promise<number[]> {
  const lags: number[] = [];
  const blockTimes = new Map<number, number>();
  for (let i = 0; i < ids.length; i += 10) {
    await Promise.all(
      ids.slice(i, i + 10).map(async (id) => {
        const view = JSON.parse(
          (await http(service.url, 'GET', `${API}/transfers/${id}`, admin)).text,
        ) as Json;
        if (view.status !== 'confirmed' || view.blockNumber === null || !view.confirmedAt) return;
        const num = Number(view.blockNumber);
        if (!blockTimes.has(num)) {
          const block = JSON.parse(
            (await http(service.devnetUrl, 'POST', '/wallet/getblockbynum', {}, { num })).text,
          ) as Json;
          blockTimes.set(num, Number(block.block_header?.raw_data?.timestamp ?? 0));
        }
        // The block is solidified once SOLIDITY_LAG more blocks are made on top of it.
        const solidifiedAt = blockTimes.get(num)! + SOLIDITY_LAG * BLOCK_MS;
        lags.push(Date.parse(view.confirmedAt as string) - solidifiedAt);
      }),
    );
  }
  return lags;
}

async function phase(
  service: Service,
  name: string,
  send: () => Promise<{ ids: string[]; intakeMs: number[] }>,
): Promise<PhaseResult> {
  await fundHotWallet(service, PAYOUTS);
  const before = await counters(service);
  const startedAt = Date.now();
  const { ids, intakeMs } = await send();
  const { broadcastAt, confirmedAt } = await waitForCounts(service, before, ids.length, startedAt);
  const after = await counters(service);
  const nodeCalls = delta(after, before, 'node ');
  const dbCommands = delta(after, before, 'db ');
  return {
    phase: name,
    payouts: ids.length,
    toBroadcastPerS: round(ids.length / ((broadcastAt - startedAt) / 1000), 1),
    toConfirmedPerS: round(ids.length / ((confirmedAt - startedAt) / 1000), 1),
    intake: latency(intakeMs),
    nodeCallsPerPayout: round(sum(nodeCalls) / ids.length),
    nodeCalls: Object.fromEntries(Object.entries(nodeCalls).map(([k, v]) => [k, round(v / ids.length)])),
    dbCommandsPerPayout: round(sum(dbCommands) / ids.length),
    dbCommands: Object.fromEntries(Object.entries(dbCommands).map(([k, v]) => [k, round(v / ids.length)])),
    confirmationLag: latency(await confirmationLags(service, ids.slice(0, 200))),
    rssMiB: rssMiB(service.child),
  };
}

let keys = 0;
const key = () => `bench-${process.pid}-${++keys}`;
const fresh = () => utils.accounts.generateAccount().address.base58;

async function viaBatches(service: Service): Promise<{ ids: string[]; intakeMs: number[] }> {
  const ids: string[] = [];
  const intakeMs: number[] = [];
  for (let start = 0; start < PAYOUTS; start += CHUNK) {
    const items = Array.from({ length: Math.min(CHUNK, PAYOUTS - start) }, () => ({
      to: fresh(),
      amount: '1',
    }));
    const t = Date.now();
    const res = await http(
      service.url,
      'POST',
      `${API}/transfers/batch`,
      { ...operator, 'Idempotency-Key': key() },
      { items },
    );
    intakeMs.push(Date.now() - t);
    if (res.status !== 202 && res.status !== 201)
      throw new Error(`batch answered ${res.status}: ${res.text.slice(0, 300)}`);
    for (const item of (JSON.parse(res.text) as Json).items as Json[]) ids.push(item.id as string);
  }
  return { ids, intakeMs };
}

async function viaSinglePosts(service: Service): Promise<{ ids: string[]; intakeMs: number[] }> {
  const ids: string[] = [];
  const intakeMs: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < PAYOUTS) {
        next++;
        const t = Date.now();
        const res = await http(
          service.url,
          'POST',
          `${API}/transfer`,
          { ...operator, 'Idempotency-Key': key() },
          { to: fresh(), amount: '1' },
        );
        intakeMs.push(Date.now() - t);
        if (res.status !== 202)
          throw new Error(`POST /transfer answered ${res.status}: ${res.text.slice(0, 300)}`);
        ids.push((JSON.parse(res.text) as Json).id as string);
      }
    }),
  );
  return { ids, intakeMs };
}

/** Finished transfers copied from the ones the first phases made (new ids and keys), straight into the engine. */
/**
 * History as a service accumulates it: one wallet, a thousand payouts a day to distinct destinations over the
 * days before the run, all confirmed. (Copies of one payout, same destination and time, would put every stored
 * transfer inside each per-destination and per-window read, which no real history does.)
 */
async function fillHistory(service: Service, count: number): Promise<void> {
  const client = await MongoClient.connect(service.databaseUri);
  try {
    const transfers = client
      .db('usdt_manager')
      .collection<{ _id: string; tx?: Record<string, unknown>; [field: string]: unknown }>('transfers');
    const template = await transfers.findOne({ status: 'confirmed' });
    if (!template) throw new Error('no confirmed transfer to copy');
    const perDay = 1000;
    const firstDay = Date.now() - (Math.ceil(count / perDay) + 1) * 86_400_000;
    for (let done = 0; done < count; done += 1000) {
      const docs = Array.from({ length: Math.min(1000, count - done) }, (_, i) => {
        const n = done + i;
        const at = new Date(firstDay + Math.floor((n * 86_400_000) / perDay));
        return {
          ...template,
          _id: `00000000-0000-4000-8000-${n.toString(16).padStart(12, '0')}`,
          idempotencyKey: `history-${n}`,
          to: historyDestination(n),
          createdAt: at,
          updatedAt: at,
          nextAttemptAt: at,
          day: at.toISOString().slice(0, 10),
          ...(template.tx && { tx: { ...template.tx, txid: n.toString(16).padStart(64, '0') } }),
        };
      });
      await transfers.insertMany(docs, { ordered: false });
    }
  } finally {
    await client.close();
  }
}

/** A distinct address-shaped destination per stored payout (base58 alphabet, leading T, 34 characters). */
function historyDestination(n: number): string {
  const alphabet = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz';
  const bytes = createHash('sha256').update(`history-${n}`).digest();
  return `T${Array.from(bytes.subarray(0, 33), (byte) => alphabet[byte % alphabet.length]).join('')}`;
}

function table(results: PhaseResult[]): string {
  const rows = results.map(
    (r) =>
      `| ${r.phase} | ${r.payouts} | ${r.toBroadcastPerS} | ${r.toConfirmedPerS} | ${r.intake.p50} / ${r.intake.p99} | ` +
      `${r.nodeCallsPerPayout} | ${r.dbCommandsPerPayout} | ${r.confirmationLag.p50} / ${r.confirmationLag.p99} | ${r.rssMiB} |`,
  );
  return [
    '| phase | payouts | to broadcast /s | to confirmed /s | intake ms p50 / p99 | node calls / payout | db commands / payout | confirmation lag ms p50 / p99 | RSS MiB |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export async function run(): Promise<void> {
  const service = await startService();
  const results: PhaseResult[] = [];
  const failed: Array<{ phase: string; error: string }> = [];
  const measure = async (name: string, send: () => Promise<{ ids: string[]; intakeMs: number[] }>) => {
    try {
      const result = await phase(service, name, send);
      results.push(result);
      console.log(table([result]).split('\n').at(-1));
    } catch (err) {
      // A phase the service could not complete is a result too (it is what the history phases measure).
      const error = err instanceof Error ? err.message : String(err);
      failed.push({ phase: name, error: error.slice(0, 500) });
      console.log(`| ${name} | failed: ${error.slice(0, 200)} |`);
    }
  };
  try {
    await measure(`batch (chunks of ${CHUNK}), empty database`, () => viaBatches(service));
    await measure(`single POSTs at ${CONCURRENCY}, empty database`, () => viaSinglePosts(service));
    if (STORED > 0) {
      await fillHistory(service, STORED);
      await measure(`batch, ${STORED} stored`, () => viaBatches(service));
      await measure(`single POSTs, ${STORED} stored`, () => viaSinglePosts(service));
    }
  } finally {
    await service.stop();
  }
  console.log(table(results));
  for (const r of results)
    console.log(
      `\n${r.phase}\n  node calls/payout: ${JSON.stringify(r.nodeCalls)}\n  db commands/payout: ${JSON.stringify(r.dbCommands)}`,
    );
  for (const f of failed) console.log(`\n${f.phase}: FAILED ${f.error}`);
  saveSection('pipeline', {
    failed,
    payouts: PAYOUTS,
    blockMs: BLOCK_MS,
    solidityLag: SOLIDITY_LAG,
    results,
    table: table(results),
  });
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
