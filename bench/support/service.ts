import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { DatabaseEngine } from '@app/database';

import { PolicyDoc, writePolicyFile } from '../../test/support/policy-file';
import { bearer, TEST_JWT_SECRET, tokenFor } from '../../test/support/tokens';
import { round } from './results';

/**
 * The service as the benches run it: a child process on the embedded defaults (the H2 engine, started here
 * and handed over as MONGODB_URI so a bench can fill it, and the in-process devnet), with its /metrics, its
 * RSS and plain keep-alive HTTP to talk to it.
 */

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- HTTP JSON

export const API = '/api/v1/tron/usdt';
/** Blocks of 1 s, as the issue's figures are measured; java-tron's solidity lag of 19 blocks. */
export const BLOCK_MS = 1000;
export const SOLIDITY_LAG = 19;

const agent = new Agent({ keepAlive: true, maxSockets: 64 });
export const operator = bearer(tokenFor('operator', { sub: 'bench-operator', expiresIn: '4h' }));
export const admin = bearer(tokenFor('admin', { sub: 'bench-admin', expiresIn: '4h' }));
export const viewer = bearer(tokenFor('viewer', { sub: 'bench-viewer', expiresIn: '4h' }));

export function http(
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

export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface Service {
  url: string;
  devnetUrl: string;
  databaseUri: string;
  hotWallet: string;
  dataDir: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

export interface ServiceOptions {
  /** Name of the temp data folder. */
  name: string;
  /** Changes to the shipped policies (rate limits are already opened up, see writePolicyFile). */
  policy?: (doc: PolicyDoc) => void;
  /** A folder for a V8 CPU profile of the service, written when it stops. */
  cpuProfileDir?: string;
  /** A file for the service's log (warnings and errors, slow database commands among them). */
  logFile?: string;
  /**
   * Count database commands in /metrics (MONGODB_COMMAND_METRICS). Off by default, as in a deployment: the
   * driver's command events cost an object per command, which a latency figure should not include.
   */
  commandMetrics?: boolean;
}

/** Limits, approval thresholds and the velocity rule out of the way: thousands of payouts in minutes. */
export function payoutsAtScale(doc: PolicyDoc): void {
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
}

/**
 * The service as a child process, so its RSS and CPU are its own; figures from its /metrics. The embedded
 * engine (H2, as `npm start` runs it) is started here and handed over as MONGODB_URI, so the bench can fill it.
 */
export async function startService(options: ServiceOptions): Promise<Service> {
  const dataDir = mkdtempSync(join(tmpdir(), `usdt-${options.name}-bench-`));
  const engine = await DatabaseEngine.start({
    dbName: 'usdt_manager',
    embeddedDataDir: join(dataDir, 'db'),
    embeddedFsync: false,
    commandMetrics: false,
  });
  const [port, devnetPort] = [await freePort(), await freePort()];
  const policyFile = writePolicyFile(options.policy);
  const child = spawn(
    process.execPath,
    [
      ...(options.cpuProfileDir ? ['--cpu-prof', `--cpu-prof-dir=${options.cpuProfileDir}`] : []),
      '-r',
      'ts-node/register/transpile-only',
      '-r',
      'tsconfig-paths/register',
      'apps/usdt-manager/src/main.ts',
    ],
    {
      cwd: join(__dirname, '..', '..'),
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
        MONGODB_COMMAND_METRICS: String(options.commandMetrics ?? false),
        MONGODB_URI: engine.uri,
      },
      stdio: ['ignore', options.logFile ? openSync(options.logFile, 'w') : 'ignore', 'inherit'],
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
export async function counters(service: Service): Promise<Map<string, number>> {
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

export function delta(
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

export const sum = (values: Record<string, number>) => Object.values(values).reduce((a, b) => a + b, 0);

export function rssMiB(child: ChildProcess): number {
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

export async function fundHotWallet(service: Service, payouts: number): Promise<void> {
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
