import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { mongo } from 'mongoose';

import { ensureEngineJar, findProjectRoot, startEmbeddedMongo, startEngineProcess } from '@app/database';

import { indexlessEngineBaseline } from './support/engine-baseline';
import { ferretDbBaseline } from './support/ferretdb-baseline';
import { latency, Latency, round, saveSection } from './support/results';

/**
 * The embedded engine per operation, as the history grows: findOne by _id, a guarded update by _id, a claim
 * (findOneAndUpdate on status and lease, the pipeline's shape before the due-work set), and an insert, at
 * 1,000 / 10,000 / 50,000 stored transfer-like documents; then 16 connections reading and updating by _id at
 * once. The earlier engine (FerretDB v1 on SQLite) runs beside today's when Go can build it. Prints a table and
 * writes bench/results.json (section "engine"); asserts nothing.
 */

const SIZES = (process.env.ENGINE_BENCH_SIZES ?? '1000,10000,50000').split(',').map(Number);
const SAMPLES = 200;
/** Each operation is sampled for at most this long, so a slow engine costs seconds, not the afternoon. */
const BUDGET_MS = Number(process.env.ENGINE_BENCH_BUDGET_MS ?? 3000);
const CONCURRENT_CONNECTIONS = 16;
const CONCURRENT_MS = 3000;

interface Engine {
  name: string;
  /** Sizes past this are not measured (a note says why). */
  maxDocs?: number;
  start(dataDir: string): Promise<{ uri: string; stop(): Promise<void> }>;
}

/** A stored document: string business keys as _id, any other fields. */
interface Doc extends mongo.Document {
  _id: string;
}
type OpName = 'findById' | 'guardedUpdate' | 'claim' | 'insert';

interface SizeResult {
  docs: number;
  ops: Record<OpName, Latency>;
  concurrentOpsPerSec: number;
}

function engines(root: string, jar: string, baselineJar: string | undefined): Engine[] {
  const ferret = process.env.ENGINE_BENCH_FERRETDB === '0' ? undefined : ferretDbBaseline(root);
  const javaEngine = (name: string, backend: 'memory' | 'h2', fsync = false, engineJar = jar): Engine => ({
    name,
    start: (dataDir) =>
      startEmbeddedMongo({
        jar: engineJar,
        backend,
        dataDir: backend === 'h2' ? dataDir : undefined,
        fsync,
      }),
  });
  return [
    ...(ferret
      ? [
          {
            name: 'before: FerretDB v1 SQLite (serialized)',
            // At 50,000 its commands take longer than the driver's 30 s monitor timeout, so it never answers.
            maxDocs: 10_000,
            start: (dataDir: string) =>
              startEngineProcess(ferret, [
                '--data-dir',
                dataDir,
                '--listen',
                '127.0.0.1:0',
                '--exit-on-stdin-close',
              ]),
          },
        ]
      : []),
    ...(baselineJar
      ? [
          javaEngine(
            'before: mongo-java-server H2 without secondary indexes (748bccc)',
            'h2',
            false,
            baselineJar,
          ),
        ]
      : []),
    javaEngine('mongo-java-server memory (tests)', 'memory'),
    javaEngine('mongo-java-server H2, commit per write (npm start)', 'h2'),
    javaEngine('mongo-java-server H2, commit + fsync per write', 'h2', true),
  ];
}

function transferLike(i: number): Doc {
  const createdAt = new Date(Date.now() - i * 1000);
  return {
    _id: `t-${i.toString().padStart(8, '0')}`,
    idempotencyKey: `bench:${i}`,
    kind: 'transfer',
    // One in fifty is due work, the rest is history, as in a pipeline that has run for a while.
    status: i % 50 === 0 ? 'approved' : 'confirmed',
    wallet: 'TXYZopYRdj2D9XRtbG411XZZ3kM5VkAeBf',
    to: `TRecipient${i.toString().padStart(24, '0')}`,
    amountRaw: BigInt(1_000_000 + i),
    nextAttemptAt: createdAt,
    leaseUntil: new Date(0),
    day: createdAt.toISOString().slice(0, 10),
    history: ['approved', 'signed', 'broadcast', 'confirmed'].map((status) => ({ status, at: createdAt })),
    createdAt,
    updatedAt: createdAt,
  };
}

async function seed(collection: mongo.Collection<Doc>, from: number, to: number): Promise<void> {
  for (let start = from; start < to; start += 1000) {
    const docs = Array.from({ length: Math.min(1000, to - start) }, (_, k) => transferLike(start + k));
    await collection.insertMany(docs, { ordered: false });
  }
}

async function sample(op: (k: number) => Promise<unknown>): Promise<Latency> {
  const times: number[] = [];
  const deadline = performance.now() + BUDGET_MS;
  for (let k = 0; k < SAMPLES && (k < 5 || performance.now() < deadline); k++) {
    const t0 = performance.now();
    await op(k);
    times.push(performance.now() - t0);
  }
  return latency(times);
}

async function concurrent(collection: mongo.Collection<Doc>, docs: number): Promise<number> {
  let ops = 0;
  const deadline = performance.now() + CONCURRENT_MS;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENT_CONNECTIONS }, async (_, w) => {
      for (let k = 0; performance.now() < deadline; k++) {
        const _id = transferLike(((w * 7919 + k * 104_729) % docs) | 0)._id;
        await (k % 2 === 0
          ? collection.findOne({ _id })
          : collection.updateOne({ _id }, { $inc: { touched: 1 } }));
        ops++;
      }
    }),
  );
  return round(ops / ((performance.now() - t0) / 1000), 0);
}

async function measure(engine: Engine): Promise<{ sizes: SizeResult[]; fileMB?: number }> {
  const dataDir = mkdtempSync(join(tmpdir(), 'engine-bench-'));
  const server = await engine.start(dataDir);
  const client = await mongo.MongoClient.connect(server.uri, {
    maxPoolSize: CONCURRENT_CONNECTIONS,
    useBigInt64: true,
  });
  try {
    const collection = client.db('bench').collection<Doc>('transfers');
    await collection.createIndex({ idempotencyKey: 1 }, { unique: true });
    await collection.createIndex({ status: 1, nextAttemptAt: 1 });
    const results: SizeResult[] = [];
    let stored = 0;
    let inserted = 0;
    for (const docs of SIZES.filter((n) => n <= (engine.maxDocs ?? Infinity))) {
      await seed(collection, stored, docs);
      stored = docs;
      const id = (k: number) => transferLike((k * 7919) % docs)._id;
      const ops = {
        findById: await sample((k) => collection.findOne({ _id: id(k) })),
        guardedUpdate: await sample((k) =>
          collection.updateOne({ _id: id(k), status: 'confirmed' }, { $inc: { touched: 1 } }),
        ),
        claim: await sample(() =>
          collection.findOneAndUpdate(
            { status: 'approved', leaseUntil: { $lt: new Date() } },
            { $set: { leaseUntil: new Date(Date.now() + 1) } },
            { sort: { nextAttemptAt: 1 } },
          ),
        ),
        insert: await sample(() => collection.insertOne(transferLike(10_000_000 + inserted++))),
      };
      const concurrentOpsPerSec = await concurrent(collection, docs);
      results.push({ docs, ops, concurrentOpsPerSec });
      console.log(`  ${engine.name} @ ${docs}: ${row(ops)} | ${concurrentOpsPerSec} ops/s at 16 connections`);
    }
    // The H2 file after the whole run: it must track the data and the write rate, not every commit ever made.
    const file = join(dataDir, 'engine.mv.db');
    const fileMB = existsSync(file) ? round(statSync(file).size / 2 ** 20, 1) : undefined;
    return { sizes: results, fileMB };
  } finally {
    await client.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const row = (ops: Record<OpName, Latency>) =>
  (Object.keys(ops) as OpName[]).map((op) => `${ops[op].p50} / ${ops[op].p99}`).join(' | ');

export async function run(): Promise<void> {
  const root = findProjectRoot(__dirname);
  const jar = await ensureEngineJar({ projectRoot: root });
  const measured: Array<{ engine: string; sizes: SizeResult[]; fileMB?: number }> = [];
  console.log('engine bench: ms p50 / p99 per operation (samples: up to 200 or 3 s each)');
  const baselineJar =
    process.env.ENGINE_BENCH_BASELINE === '0' ? undefined : await indexlessEngineBaseline(root);
  for (const engine of engines(root, jar, baselineJar))
    measured.push({ engine: engine.name, ...(await measure(engine)) });

  console.log(
    '\n| engine | documents | findOne by _id | guarded update by _id | claim (status + lease) | insert | 16 connections, ops/s |',
  );
  console.log('|---|---|---|---|---|---|---|');
  for (const { engine, sizes } of measured)
    for (const size of sizes)
      console.log(`| ${engine} | ${size.docs} | ${row(size.ops)} | ${size.concurrentOpsPerSec} |`);
  console.log('\nby _id, p50 at the largest size / at the smallest:');
  for (const { engine, sizes } of measured) {
    const [first, last] = [sizes[0], sizes[sizes.length - 1]];
    for (const op of ['findById', 'guardedUpdate'] as const)
      console.log(
        `  ${engine}, ${op}: ${round(last.ops[op].p50 / first.ops[op].p50)}x (${last.docs} vs ${first.docs})`,
      );
  }
  console.log('\ndata file after the run:');
  for (const { engine, fileMB } of measured)
    if (fileMB !== undefined) console.log(`  ${engine}: ${fileMB} MiB`);
  saveSection('engine', { unit: 'ms', sizes: SIZES, engines: measured });
}

if (require.main === module) {
  run().catch((e: unknown) => {
    console.error(e);
    process.exit(1);
  });
}
