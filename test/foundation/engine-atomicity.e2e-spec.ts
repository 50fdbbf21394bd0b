import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import mongoose from 'mongoose';

import { EmbeddedBackend } from '@app/database';

import { startTestDatabase, TestDatabase } from '../support/test-database';

type Id = mongoose.mongo.ObjectId;
/** String business keys as _id, as the service uses them (the driver's typings assume ObjectId). */
const id = (value: string) => value as unknown as Id;

/**
 * The service's safety rules rest on MongoDB's single-document atomicity: "update this document only if it is
 * still in the state I expect" must succeed for exactly one of many concurrent callers, a unique index must
 * refuse all but one racing insert, and an acknowledged write must survive the engine being killed. These tests
 * race real connections against the embedded engine (both of its backends) as the pipeline does, with no
 * serializer in front of it.
 */
describe.each<EmbeddedBackend>(['memory', 'h2'])(
  'embedded engine (%s): atomicity under concurrency',
  (backend) => {
    let db: TestDatabase;
    let connections: mongoose.Connection[];

    beforeAll(async () => {
      db = await startTestDatabase({ backend });
      connections = await Promise.all(
        Array.from({ length: 4 }, () =>
          mongoose.createConnection(db.uri, { dbName: 'atomicity', maxPoolSize: 20 }).asPromise(),
        ),
      );
    });

    afterAll(async () => {
      await Promise.all(connections.map((c) => c.close()));
      await db.stop();
    });

    const collection = (i: number, name: string) => connections[i % connections.length].collection(name);

    it('lets exactly one of 100 concurrent guarded findOneAndUpdate calls claim a document', async () => {
      const docs = connections[0].collection('claims');
      for (let round = 0; round < 5; round++) {
        await docs.insertOne({ _id: id(`job-${round}`), owner: null });
        const results = await Promise.all(
          Array.from({ length: 100 }, (_, i) =>
            collection(i, 'claims').findOneAndUpdate(
              { _id: id(`job-${round}`), owner: null },
              { $set: { owner: `w${i}` } },
              { returnDocument: 'after' },
            ),
          ),
        );
        const winners = results.filter((doc) => doc !== null);
        expect(winners).toHaveLength(1);
        const stored = await docs.findOne({ _id: id(`job-${round}`) });
        expect(stored?.owner).toBe(winners[0].owner);
      }
    });

    it('never lets 200 concurrent conditional increments overshoot a limit of 50', async () => {
      const limit = 50;
      for (let round = 0; round < 3; round++) {
        const key = id(`daily-${round}`);
        await connections[0].collection('counters').insertOne({ _id: key, used: 0 });
        const results = await Promise.all(
          Array.from({ length: 200 }, (_, i) =>
            collection(i, 'counters').updateOne(
              { _id: key, used: { $lte: limit - 1 } },
              { $inc: { used: 1 } },
            ),
          ),
        );
        expect(results.reduce((n, r) => n + r.modifiedCount, 0)).toBe(limit);
        expect((await connections[0].collection('counters').findOne({ _id: key }))?.used).toBe(limit);
      }
    });

    it('lets a unique index accept exactly one of 100 racing inserts of the same key', async () => {
      const keys = connections[0].collection('idempotency');
      await keys.createIndex({ key: 1 }, { unique: true });
      const results = await Promise.allSettled(
        Array.from({ length: 100 }, (_, i) =>
          collection(i, 'idempotency').insertOne({ key: 'alice:k1', n: i }),
        ),
      );
      const refused = results.filter((r) => r.status === 'rejected');
      expect(results.length - refused.length).toBe(1);
      for (const r of refused) expect(r.reason).toMatchObject({ code: 11000 });
      expect(await keys.countDocuments({ key: 'alice:k1' })).toBe(1);
    });

    it('builds indexes while writes run, as Mongoose does at start, without failing a write', async () => {
      // Index builds walk the stored documents; 3 rounds of 8 builds race 600 inserts and updates each.
      await connections[0]
        .collection('startup')
        .insertMany(
          Array.from({ length: 3000 }, (_, i) => ({ _id: id(`seed-${i}`), key: `seed-${i}`, n: 0 })),
        );
      for (let round = 0; round < 3; round++) {
        const writes = Array.from({ length: 600 }, (_, i) =>
          i % 2 === 0
            ? collection(i, 'startup').insertOne({ _id: id(`r${round}-${i}`), key: `r${round}-${i}`, n: 0 })
            : collection(i, 'startup').updateOne({ _id: id(`seed-${i}`) }, { $inc: { n: 1 } }),
        );
        const builds = Array.from({ length: 8 }, (_, i) =>
          collection(i, 'startup').createIndex({ [`r${round}f${i}`]: 1 }, { name: `r${round}f${i}` }),
        );
        if (round === 0) builds.push(collection(0, 'startup').createIndex({ key: 1 }, { unique: true }));
        const results = await Promise.allSettled([...writes, ...builds]);
        expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
      }
      expect(await connections[0].collection('startup').countDocuments()).toBe(3000 + 3 * 300);
    });

    it('answers reads of documents that concurrent updates reshape with whole documents, never a torn or failed one', async () => {
      // The engine's threads share stored documents: a reply encoded while another connection's update changed
      // the same document failed (ConcurrentModificationException) or mixed the two versions. Each update here
      // adds one field, removes another and sets `version` (the first field) and `mirror` (the last) alike.
      const fields = Object.fromEntries(Array.from({ length: 600 }, (_, f) => [`f${f}`, `value-${f}`]));
      await collection(0, 'reshaped').insertMany(
        Array.from({ length: 4 }, (_, d) => ({ _id: id(`doc-${d}`), version: 0, ...fields, mirror: 0 })),
      );
      // Without retries, so that a reply the engine failed to send is seen as the failure it is.
      const readers = await mongoose
        .createConnection(db.uri, { dbName: 'atomicity', maxPoolSize: 6, retryReads: false })
        .asPromise();
      const torn: unknown[] = [];
      const failed: unknown[] = [];
      let writing = true;
      const write = async (w: number) => {
        for (let i = 1; i <= 150; i++) {
          const version = w * 1000 + i;
          await collection(w, 'reshaped').updateOne(
            { _id: id(`doc-${i % 4}`) },
            { $set: { version, mirror: version, [`g${i % 40}`]: i }, $unset: { [`g${(i + 20) % 40}`]: '' } },
          );
        }
      };
      const read = async (r: number) => {
        const shapes = readers.collection('reshaped');
        while (writing) {
          const docs = await (
            r % 3 === 0
              ? shapes.find({}).toArray()
              : r % 3 === 1
                ? shapes.find({ _id: id(`doc-${r % 4}`) }).toArray()
                : shapes.aggregate([{ $match: { version: { $gte: 0 } } }]).toArray()
          ).catch((error: Error) => (failed.push(error.message), []));
          for (const doc of docs) if (doc.version !== doc.mirror) torn.push(doc._id);
        }
      };
      const reading = Array.from({ length: 6 }, (_, r) => read(r));
      await Promise.all(Array.from({ length: 4 }, (_, w) => write(w)));
      writing = false;
      await Promise.all(reading);
      await readers.close();
      expect({ torn, failed }).toEqual({ torn: [], failed: [] });
    });

    it('computes every accumulator of a $group (several $sum over int64 amounts)', async () => {
      const rows = connections[0].collection('payouts');
      await rows.insertMany([
        { status: 'confirmed', day: '2026-12-01', amountRaw: 1_500_000n },
        { status: 'confirmed', day: '2026-12-01', amountRaw: 2_250_000n },
        { status: 'confirmed', day: '2026-12-02', amountRaw: 9_007_199_254_740_993n }, // beyond a double's precision
        { status: 'failed', day: '2026-12-02', amountRaw: 7n },
      ]);
      const grouped = await connections[0]
        .collection('payouts')
        .aggregate<{ _id: { status: string; day: string }; count: number; amountRaw: bigint; max: bigint }>(
          [
            {
              $group: {
                _id: { status: '$status', day: '$day' },
                count: { $sum: 1 },
                amountRaw: { $sum: '$amountRaw' },
                max: { $max: '$amountRaw' },
              },
            },
            { $sort: { '_id.day': 1, '_id.status': 1 } },
          ],
          { useBigInt64: true },
        )
        .toArray();
      expect(grouped).toEqual([
        { _id: { status: 'confirmed', day: '2026-12-01' }, count: 2, amountRaw: 3_750_000n, max: 2_250_000n },
        {
          _id: { status: 'confirmed', day: '2026-12-02' },
          count: 1,
          amountRaw: 9_007_199_254_740_993n,
          max: 9_007_199_254_740_993n,
        },
        { _id: { status: 'failed', day: '2026-12-02' }, count: 1, amountRaw: 7n, max: 7n },
      ]);
    });
  },
);

/**
 * The money rules store a signed transaction before broadcasting it, so a write the engine acknowledged must be
 * on file even when the engine process itself is killed. Writers stream inserts and increments over several
 * connections; the engine is SIGKILLed mid-stream and restarted on the same file.
 */
describe('embedded engine (h2): acknowledged writes survive SIGKILL of the engine', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'usdt-db-kill-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('finds every acknowledged insert and increment after a restart', async () => {
    const first = await startTestDatabase({ backend: 'h2', dataDir });
    const clients = await Promise.all(
      Array.from({ length: 4 }, () =>
        mongoose
          .createConnection(first.uri, {
            dbName: 'durability',
            maxPoolSize: 8,
            serverSelectionTimeoutMS: 2_000,
          })
          .asPromise(),
      ),
    );
    await clients[0].collection('counter').insertOne({ _id: id('acks'), n: 0 });

    const acknowledgedInserts: string[] = [];
    let acknowledgedIncrements = 0;
    let attemptedIncrements = 0;
    let killed = false;
    const writer = async (w: number) => {
      for (let i = 0; !killed; i++) {
        try {
          await clients[w]
            .collection('writes')
            .insertOne({ _id: id(`w${w}-${i}`), payload: 'x'.repeat(200) });
          acknowledgedInserts.push(`w${w}-${i}`);
          attemptedIncrements++;
          await clients[w].collection('counter').updateOne({ _id: id('acks') }, { $inc: { n: 1 } });
          acknowledgedIncrements++;
        } catch {
          return; // the engine is gone: this write was never acknowledged
        }
      }
    };
    const writers = Array.from({ length: 8 }, (_, w) => writer(w % clients.length));
    // Kill once a few hundred writes are acknowledged, while the writers are still going.
    while (acknowledgedInserts.length < 300) await new Promise((r) => setTimeout(r, 10));
    process.kill(first.pid, 'SIGKILL');
    killed = true;
    await Promise.all(writers);
    await Promise.all(clients.map((c) => c.close(true).catch(() => undefined)));

    const second = await startTestDatabase({ backend: 'h2', dataDir });
    try {
      const client = await mongoose.createConnection(second.uri, { dbName: 'durability' }).asPromise();
      const stored = new Set(
        (
          await client
            .collection('writes')
            .find({}, { projection: { _id: 1 } })
            .toArray()
        ).map((d) => String(d._id)),
      );
      expect(acknowledgedInserts.filter((key) => !stored.has(key))).toEqual([]);
      const counter = await client.collection('counter').findOne({ _id: id('acks') });
      // Every acknowledged increment is there; one in flight at the kill may or may not have landed.
      expect(counter?.n).toBeGreaterThanOrEqual(acknowledgedIncrements);
      expect(counter?.n).toBeLessThanOrEqual(attemptedIncrements);
      await client.close();
    } finally {
      await second.stop();
    }
  });
});
