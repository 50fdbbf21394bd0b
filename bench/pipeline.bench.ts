import { createHash } from 'node:crypto';
import { MongoClient } from 'mongodb';
import { utils } from 'tronweb';

import { allUsdtTransferEvents } from '../test/support/chain-checks';
import { latency, Latency, round, saveSection } from './support/results';
import {
  admin,
  API,
  BLOCK_MS,
  counters,
  delta,
  fundHotWallet,
  http,
  Json,
  operator,
  payoutsAtScale,
  rssMiB,
  Service,
  sleep,
  SOLIDITY_LAG,
  startService,
  sum,
} from './support/service';

/**
 * The payout pipeline end to end, on the embedded defaults (the service as `npm start` runs it: the H2 engine
 * and the in-process devnet, here with 1 s blocks), one hot wallet, shipped policies with limits and approval
 * thresholds out of the way (screening and monitoring stay on). Phases: a batch of payouts (chunks of 500),
 * then single POSTs at 50 concurrent; then both again after filling the database with finished transfers.
 * Reports payouts/s to broadcast and to confirmed, intake latency, node calls and database commands per
 * payout (the service's own metrics), confirmation lag after solidification and the service's RSS. Checks on
 * chain that every destination of a phase was paid exactly once (a phase in which a payout failed, or one
 * paid twice or not at all, is reported as failed); asserts nothing about speed.
 */

const PAYOUTS = Number(process.env.PIPELINE_BENCH_PAYOUTS ?? 2000);
const STORED = Number(process.env.PIPELINE_BENCH_STORED ?? 50_000);
/** Payouts through one batch before the first phase, not measured (JIT and caches warm). */
const WARMUP = Number(process.env.PIPELINE_BENCH_WARMUP ?? 200);
const CHUNK = 500;
const CONCURRENCY = 50;
const PHASE_TIMEOUT_MS = Number(process.env.PIPELINE_BENCH_PHASE_TIMEOUT_MS ?? 20 * 60_000);
/** A file for the service's log (warnings and errors, slow database commands among them); dropped when unset. */
const SERVICE_LOG = process.env.PIPELINE_BENCH_SERVICE_LOG;

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
  /** Destinations the chain shows paid exactly once, exactly 1 USDT (all of them, or the phase fails). */
  paidOnceOnChain: number;
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

/**
 * Counts on chain (the devnet's event API, as TronGrid serves it) the USDT Transfer events to each destination
 * of the phase: each must be paid exactly once, exactly 1 USDT, from the hot wallet; anything else fails the
 * phase.
 */
async function paidOnceOnChain(service: Service, destinations: readonly string[]): Promise<number> {
  const status = JSON.parse((await http(service.url, 'GET', '/status', admin)).text) as Json;
  const usdt = (status.network as Json).usdtContract as string;
  const wallet = utils.address.toHex(service.hotWallet).toLowerCase();
  const wanted = new Map(destinations.map((to) => [utils.address.toHex(to).toLowerCase(), 0]));
  for (const event of await allUsdtTransferEvents(service.devnetUrl, usdt)) {
    const seen = wanted.get(event.toHex);
    if (seen === undefined) continue;
    if (event.valueRaw !== 1_000_000n || event.fromHex !== wallet) {
      throw new Error(`a payout to ${event.toHex} moved ${event.valueRaw} from ${event.fromHex}`);
    }
    wanted.set(event.toHex, seen + 1);
  }
  const wrong = [...wanted].filter(([, count]) => count !== 1);
  if (wrong.length > 0) {
    throw new Error(
      `${wrong.length} destinations not paid exactly once, e.g. ${wrong[0][0]} ${wrong[0][1]} times`,
    );
  }
  return wanted.size;
}

async function phase(service: Service, name: string, send: () => Promise<Sent>): Promise<PhaseResult> {
  await fundHotWallet(service, PAYOUTS);
  const before = await counters(service);
  const startedAt = Date.now();
  const { ids, intakeMs, destinations } = await send();
  const { broadcastAt, confirmedAt } = await waitForCounts(service, before, ids.length, startedAt);
  const after = await counters(service);
  const failedPayouts = (after.get('status failed') ?? 0) - (before.get('status failed') ?? 0);
  if (failedPayouts > 0) throw new Error(`${failedPayouts} payouts failed`);
  const paidOnce = await paidOnceOnChain(service, destinations);
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
    paidOnceOnChain: paidOnce,
    confirmationLag: latency(await confirmationLags(service, ids.slice(0, 200))),
    rssMiB: rssMiB(service.child),
  };
}

let keys = 0;
const key = () => `bench-${process.pid}-${++keys}`;
const fresh = () => utils.accounts.generateAccount().address.base58;

/** What a phase sent: the transfers' ids, each request's intake time, and the destinations paid. */
interface Sent {
  ids: string[];
  intakeMs: number[];
  destinations: string[];
}

async function viaBatches(service: Service, payouts = PAYOUTS): Promise<Sent> {
  const ids: string[] = [];
  const intakeMs: number[] = [];
  const destinations: string[] = [];
  for (let start = 0; start < payouts; start += CHUNK) {
    const items = Array.from({ length: Math.min(CHUNK, payouts - start) }, () => ({
      to: fresh(),
      amount: '1',
    }));
    destinations.push(...items.map((item) => item.to));
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
  return { ids, intakeMs, destinations };
}

async function viaSinglePosts(service: Service): Promise<Sent> {
  const ids: string[] = [];
  const intakeMs: number[] = [];
  const destinations: string[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < PAYOUTS) {
        next++;
        const to = fresh();
        destinations.push(to);
        const t = Date.now();
        const res = await http(
          service.url,
          'POST',
          `${API}/transfer`,
          { ...operator, 'Idempotency-Key': key() },
          { to, amount: '1' },
        );
        intakeMs.push(Date.now() - t);
        if (res.status !== 202)
          throw new Error(`POST /transfer answered ${res.status}: ${res.text.slice(0, 300)}`);
        ids.push((JSON.parse(res.text) as Json).id as string);
      }
    }),
  );
  return { ids, intakeMs, destinations };
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
      `| ${r.phase} | ${r.payouts} | ${r.paidOnceOnChain} | ${r.toBroadcastPerS} | ${r.toConfirmedPerS} | ${r.intake.p50} / ${r.intake.p99} | ` +
      `${r.nodeCallsPerPayout} | ${r.dbCommandsPerPayout} | ${r.confirmationLag.p50} / ${r.confirmationLag.p99} | ${r.rssMiB} |`,
  );
  return [
    '| phase | payouts | paid exactly once on chain | to broadcast /s | to confirmed /s | intake ms p50 / p99 | node calls / payout | db commands / payout | confirmation lag ms p50 / p99 | RSS MiB |',
    '|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
}

export async function run(): Promise<void> {
  const service = await startService({
    name: 'pipeline',
    policy: payoutsAtScale,
    // PIPELINE_BENCH_CPU_PROF=<dir>: a V8 CPU profile of the service, written when it stops.
    cpuProfileDir: process.env.PIPELINE_BENCH_CPU_PROF,
    logFile: SERVICE_LOG,
    // Commands per payout are this bench's figure.
    commandMetrics: true,
  });
  const results: PhaseResult[] = [];
  const failed: Array<{ phase: string; error: string }> = [];
  const measure = async (name: string, send: () => Promise<Sent>) => {
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
    if (WARMUP > 0) {
      // Not measured: the service's and the engine's code paths compiled and warm, as in a running service.
      await fundHotWallet(service, WARMUP);
      const before = await counters(service);
      const { ids } = await viaBatches(service, WARMUP);
      await waitForCounts(service, before, ids.length, Date.now());
      console.log(`warm-up: ${ids.length} payouts confirmed`);
    }
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
