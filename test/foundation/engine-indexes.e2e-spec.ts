import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import fc from 'fast-check';
import mongoose from 'mongoose';

import { EmbeddedBackend } from '@app/database';

import { startTestDatabase, TestDatabase } from '../support/test-database';

type Id = mongoose.mongo.ObjectId;
const id = (value: string) => value as unknown as Id;
type Doc = Record<string, unknown> & { _id: Id };

/**
 * The embedded engine's secondary indexes (tools/embedded-mongo, SecondaryIndex) narrow a query to candidates
 * that the engine then matches as before. A wrong index would lose matches silently, so these tests run the same
 * writes and queries against an indexed collection and an unindexed twin (which scans) and demand the same
 * answers: strings, arrays, missing and odd-typed fields, dotted paths through arrays, date ranges, prefixes.
 */
describe.each<EmbeddedBackend>(['memory', 'h2'])('embedded engine (%s): secondary indexes', (backend) => {
  let db: TestDatabase;
  let client: mongoose.Connection;

  beforeAll(async () => {
    db = await startTestDatabase({ backend });
    client = await mongoose.createConnection(db.uri, { dbName: 'indexes' }).asPromise();
  });

  afterAll(async () => {
    await client.close();
    await db.stop();
  });

  const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n));
  const status = fc.constantFrom('approved', 'signed', 'broadcast', 'confirmed', 'failed');
  const address = fc.stringMatching(/^[AB][AB1]{0,3}$/);
  const odd = fc.constantFrom<unknown>(null, 7, true, { nested: 'approved' });
  const fields = fc.record(
    {
      status: fc.oneof(status, fc.array(status, { maxLength: 3 }), odd),
      to: fc.oneof(address, odd),
      createdAt: fc.oneof(fc.integer({ min: 0, max: 9 }).map(day), fc.constant('not a date')),
      waiting: fc.oneof(
        fc.record({ code: status }),
        fc.array(fc.record({ code: status }), { maxLength: 2 }), // an array on the dotted path
      ),
    },
    { requiredKeys: [] },
  );
  const write = fc.oneof(
    fields.map((set) => ({ op: 'insert' as const, set })),
    fc.record({ op: fc.constant('set' as const), at: fc.nat(), set: fields }),
    fc.record({
      op: fc.constant('unset' as const),
      at: fc.nat(),
      field: fc.constantFrom('status', 'to', 'createdAt', 'waiting'),
    }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat() }),
    fc.record({ op: fc.constant('moveAll' as const), from: status, to: status }),
  );
  const query = fc.oneof(
    status.map((s) => ({ status: s })),
    fc.array(status, { minLength: 1, maxLength: 3 }).map((list) => ({ status: { $in: list } })),
    fc
      .tuple(fc.array(status, { minLength: 1, maxLength: 2 }), fc.integer({ min: 0, max: 9 }))
      .map(([list, n]) => ({ status: { $in: list }, createdAt: { $lte: day(n) } })),
    fc
      .tuple(address, fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 9 }))
      .map(([to, a, b]) => ({ to, createdAt: { $gte: day(a), $lt: day(b) } })),
    address.map((to) => ({ to: { $regex: `^${to}.*`, $ne: to } })),
    status.map((code) => ({ 'waiting.code': code })),
    fc.tuple(status, address).map(([s, to]) => ({ status: { $eq: s }, to, _id: { $ne: 'd1' } })),
  );

  it('answers every query as a full scan does, after any mix of inserts, updates and deletes', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(write, { minLength: 1, maxLength: 40 }),
        fc.array(query, { maxLength: 8 }),
        async (writes, queries) => {
          run++;
          const indexed = client.collection<Doc>(`indexed${run}`);
          const plain = client.collection<Doc>(`plain${run}`);
          await indexed.createIndex({ status: 1, createdAt: 1 });
          await indexed.createIndex({ to: 1, createdAt: -1 });
          await indexed.createIndex({ 'waiting.code': 1 });
          let next = 0;
          const ids: string[] = [];
          for (const w of writes) {
            for (const collection of [indexed, plain]) {
              if (w.op === 'insert') await collection.insertOne({ _id: id(`d${next}`), ...w.set });
              const target = ids.length ? id(ids[('at' in w ? w.at : 0) % ids.length]) : id('none');
              if (w.op === 'set' && Object.keys(w.set).length)
                await collection.updateOne({ _id: target }, { $set: w.set });
              if (w.op === 'unset') await collection.updateOne({ _id: target }, { $unset: { [w.field]: 1 } });
              if (w.op === 'delete') await collection.deleteOne({ _id: target });
              if (w.op === 'moveAll')
                await collection.updateMany({ status: w.from }, { $set: { status: w.to } });
            }
            if (w.op === 'insert') ids.push(`d${next++}`);
          }
          for (const q of queries) {
            const [got, expected] = await Promise.all(
              [indexed, plain].map((c) =>
                c
                  .find(q as mongoose.mongo.Filter<Doc>)
                  .sort({ _id: 1 })
                  .toArray(),
              ),
            );
            expect({ q, found: got }).toEqual({ q, found: expected });
          }
          // The twin exists only once something was inserted into it.
          await Promise.all([indexed.drop(), plain.drop().catch(() => false)]);
        },
      ),
      { numRuns: 40, seed: 20261203 },
    );
  });

  it('keeps serving after an index is dropped and made again, and after createIndexes of one that exists', async () => {
    const docs = client.collection<Doc>('recreated');
    await docs.createIndex({ status: 1 });
    await docs.insertMany([
      { _id: id('a'), status: 'approved' },
      { _id: id('b'), status: 'confirmed' },
    ]);
    await docs.createIndex({ status: 1 }); // what Mongoose sends at every start
    expect((await docs.find({ status: 'approved' }).toArray()).map((d) => d._id)).toEqual(['a']);
    await docs.dropIndex('status_1');
    await docs.insertOne({ _id: id('c'), status: 'approved' });
    await docs.createIndex({ status: 1 });
    expect((await docs.find({ status: 'approved' }).sort({ _id: 1 }).toArray()).map((d) => d._id)).toEqual([
      'a',
      'c',
    ]);
  });
});

describe('embedded engine (h2): secondary indexes after a restart', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'usdt-db-index-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rebuilds them from the stored documents', async () => {
    const first = await startTestDatabase({ backend: 'h2', dataDir });
    const writer = await mongoose.createConnection(first.uri, { dbName: 'restart' }).asPromise();
    const docs = writer.collection<Doc>('transfers');
    await docs.createIndex({ status: 1, nextAttemptAt: 1 });
    await docs.insertMany(
      Array.from({ length: 50 }, (_, i) => ({
        _id: id(`t${i}`),
        status: i % 5 === 0 ? 'approved' : 'confirmed',
      })),
    );
    await docs.updateOne({ _id: id('t1') }, { $set: { status: 'approved' } });
    await writer.close();
    await first.stop();

    const second = await startTestDatabase({ backend: 'h2', dataDir });
    try {
      const reader = await mongoose.createConnection(second.uri, { dbName: 'restart' }).asPromise();
      const approved = await reader
        .collection<Doc>('transfers')
        .find({ status: { $in: ['approved'] } })
        .toArray();
      expect(approved.map((d) => String(d._id)).sort()).toEqual(
        ['t0', 't1', 't10', 't15', 't20', 't25', 't30', 't35', 't40', 't45', 't5'].sort(),
      );
      await reader.close();
    } finally {
      await second.stop();
    }
  });
});
