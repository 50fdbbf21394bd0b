import autocannon from 'autocannon';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TronWeb } from 'tronweb';

import type { PolicyDoc } from '../test/support/policy-file';
import { round, saveSection } from './support/results';
import {
  API,
  freePort,
  fundHotWallet,
  http,
  operator,
  payoutsAtScale,
  Service,
  sleep,
  startService,
  viewer,
} from './support/service';

/**
 * The HTTP edge beside a bare NestJS + Express app answering a constant JSON, in one run: autocannon, 50
 * connections, 8 s per route, the routes in turn, two rounds (so a slow moment of the machine falls on
 * different routes). The service runs as `npm start` does (H2 engine, in-process devnet, 1 s blocks) with the
 * policies of the pipeline bench (limits and holds out of the way, rate limits opened up); its pipeline runs,
 * so the reads after the first intake round are measured while those payouts are being written.
 * `HTTP_BENCH_SECONDS` (default 8) per route. Prints results; asserts nothing.
 */

const CONNECTIONS = 50;
const BARE = 'bare Nest `/ok`';
const SECONDS = Number(process.env.HTTP_BENCH_SECONDS ?? 8);
const ROUNDS = 2;

interface RouteResult {
  route: string;
  round: number;
  requestsPerS: number;
  p50Ms: number;
  p99Ms: number;
  non2xx: number;
  errors: number;
  /** CPU time of the answering process per request, µs (Linux /proc; absent elsewhere) */
  cpuUsPerRequest?: number;
}

interface Route {
  name: string;
  options: (base: { service: Service; bareUrl: string }) => autocannon.Options;
}

/** Destinations for intake: valid addresses, distinct, without generating keys on the bench's core. */
let destinations = 0;
function destination(): string {
  const body = createHash('sha256').update(`http-bench-${process.pid}-${++destinations}`).digest('hex');
  return TronWeb.address.fromHex(`41${body.slice(0, 40)}`);
}
let keys = 0;

/** The transfers the reads ask for: one paid and confirmed, one held for approval (read every time). */
interface ReadTargets {
  confirmedId: string;
  heldId: string;
  hotWallet: string;
}

function routes({ confirmedId, heldId, hotWallet }: ReadTargets): Route[] {
  const get = (url: string, headers: Record<string, string> = {}): autocannon.Options => ({
    url,
    headers,
    connections: CONNECTIONS,
    duration: SECONDS,
  });
  return [
    { name: BARE, options: ({ bareUrl }) => get(`${bareUrl}/ok`) },
    { name: '`/health/live`', options: ({ service }) => get(`${service.url}/health/live`) },
    {
      name: '`GET /contract/info`',
      options: ({ service }) => get(`${service.url}${API}/contract/info`, viewer),
    },
    {
      name: '`GET /transfers/:id` (confirmed)',
      options: ({ service }) => get(`${service.url}${API}/transfers/${confirmedId}`, viewer),
    },
    {
      name: '`GET /transfers/:id` (held for approval)',
      options: ({ service }) => get(`${service.url}${API}/transfers/${heldId}`, viewer),
    },
    {
      name: '`GET /balance/:address` (warm)',
      options: ({ service }) => get(`${service.url}${API}/balance/${hotWallet}`, viewer),
    },
    {
      name: '`POST /transfer` (unique keys, auto-approved)',
      options: ({ service }) => ({
        url: `${service.url}${API}/transfer`,
        connections: CONNECTIONS,
        duration: SECONDS,
        requests: [
          {
            method: 'POST',
            setupRequest: (request) => ({
              ...request,
              headers: {
                ...operator,
                'content-type': 'application/json',
                'idempotency-key': `http-bench-${process.pid}-${++keys}`,
              },
              body: JSON.stringify({ to: destination(), amount: '1' }),
            }),
          },
        ],
      }),
    },
  ];
}

async function startBareNest(): Promise<{ url: string; child: ChildProcess }> {
  const port = await freePort();
  const child = spawn(
    process.execPath,
    ['-r', 'ts-node/register/transpile-only', join(__dirname, 'support', 'bare-nest.ts'), String(port)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`bare Nest exited with ${code}`)));
  });
  return { url: `http://127.0.0.1:${port}`, child };
}

/**
 * CPU seconds a process has used (user + system, from /proc/<pid>/stat at 100 ticks a second), or undefined
 * off Linux. Per request, it is steadier than requests/s on a shared machine: a neighbour's load slows the
 * clock, not the work each request takes.
 */
function cpuSeconds(pid: number | undefined): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return undefined;
  }
}

async function measure(
  route: Route,
  round_: number,
  base: { service: Service; bareUrl: string; barePid?: number },
) {
  const pid = route.name === BARE ? base.barePid : base.service.child.pid;
  const cpuBefore = cpuSeconds(pid);
  const result = await autocannon(route.options(base));
  const cpuAfter = cpuSeconds(pid);
  const cpuUsPerRequest =
    cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
      ? undefined
      : round((1e6 * (cpuAfter - cpuBefore)) / result.requests.total, 0);
  return {
    route: route.name,
    round: round_,
    requestsPerS: round(result.requests.average, 0),
    p50Ms: result.latency.p50,
    p99Ms: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
    cpuUsPerRequest,
  } satisfies RouteResult;
}

function table(results: RouteResult[]): string {
  const names = [...new Set(results.map((r) => r.route))];
  const bare = results.filter((r) => r.route === names[0]);
  const rows = names.map((name) => {
    const runs = results.filter((r) => r.route === name);
    const shares = runs.map((r) => {
      const baseline = bare.find((b) => b.round === r.round)?.requestsPerS ?? 0;
      return baseline ? `${Math.round((100 * r.requestsPerS) / baseline)}%` : '-';
    });
    const cells = runs.map((r) => `${r.requestsPerS} (p50 ${r.p50Ms} / p99 ${r.p99Ms} ms)`);
    const cpu = runs.map((r) => (r.cpuUsPerRequest === undefined ? '-' : String(r.cpuUsPerRequest)));
    const failures = runs.reduce((n, r) => n + r.non2xx + r.errors, 0);
    return `| ${name} | ${cells.join(', ')} | ${shares.join(', ')} | ${cpu.join(', ')} | ${failures} |`;
  });
  return [
    '| route | req/s per round (latency) | share of bare, per round | CPU µs per request, per round | non-2xx + errors |',
    '|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

/**
 * Rate limits far above the load, over a 1 s window: the in-memory limiter keeps one timestamp per counted
 * request of the window and scans them on each request, so a 60 s window at this load would hold some 60,000
 * (with a real limit of a few hundred per minute it holds at most that many, as here).
 */
function httpBenchPolicies(doc: PolicyDoc): void {
  payoutsAtScale(doc);
  for (const name of Object.keys(doc.rateLimits)) doc.rateLimits[name] = { limit: 1_000_000, ttlSeconds: 1 };
  // One payout above this is held for admins' votes for the whole run: a transfer whose reads reach the database.
  doc.approvals.workflows.high_value.threshold = HELD_AMOUNT;
}

const HELD_AMOUNT = '5000';

/** A payout for the reads: its id once it is in one of `statuses`. */
async function payoutFor(
  service: Service,
  label: string,
  amount: string,
  statuses: string[],
): Promise<string> {
  const created = await http(
    service.url,
    'POST',
    `${API}/transfer`,
    { ...operator, 'idempotency-key': `http-bench-${process.pid}-${label}` },
    { to: destination(), amount },
  );
  if (created.status !== 202) throw new Error(`POST /transfer answered ${created.status}: ${created.text}`);
  const id = (JSON.parse(created.text) as { id: string }).id;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await sleep(500)) {
    const read = await http(service.url, 'GET', `${API}/transfers/${id}`, viewer);
    const { status } = JSON.parse(read.text) as { status: string };
    if (statuses.includes(status)) return id;
  }
  throw new Error(`the ${label} payout did not reach ${statuses.join(' or ')}`);
}

export async function run(): Promise<void> {
  const service = await startService({
    name: 'http',
    policy: httpBenchPolicies,
    // HTTP_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the service, written when it stops.
    cpuProfileDir: process.env.HTTP_BENCH_CPU_PROF,
  });
  const bare = await startBareNest();
  try {
    await fundHotWallet(service, 20_000 + Number(HELD_AMOUNT));
    const [confirmedId, heldId] = await Promise.all([
      payoutFor(service, 'confirmed', '1', ['confirmed']),
      payoutFor(service, 'held', `${HELD_AMOUNT}.000001`, ['pending_approval']),
    ]);
    const list = routes({ confirmedId, heldId, hotWallet: service.hotWallet });
    const results: RouteResult[] = [];
    // A short warm-up of every route: JIT, caches, the balance of the current block.
    const base = { service, bareUrl: bare.url, barePid: bare.child.pid };
    for (const route of list) await autocannon({ ...route.options(base), duration: 1 });
    for (let n = 1; n <= ROUNDS; n++) {
      for (const route of list) {
        const result = await measure(route, n, base);
        results.push(result);
        console.log(JSON.stringify(result));
      }
    }
    const rendered = table(results);
    console.log(rendered);
    saveSection('http', { connections: CONNECTIONS, secondsPerRoute: SECONDS, results, table: rendered });
  } finally {
    bare.child.kill('SIGTERM');
    await service.stop();
  }
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
