import mongoose from 'mongoose';

import { startTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The service's safety rules rest on MongoDB's single-document atomicity: "update this document only if it is
 * still in the state I expect" must succeed for exactly one of many concurrent callers. FerretDB v1 alone
 * breaks this (it reads, then writes); the embedded engine's serializer restores it. This test races real
 * connections against the engine as the pipeline does.
 */
describe('embedded engine: single-document atomicity under concurrency', () => {
  let db: TestDatabase;
  let connections: mongoose.Connection[];

  beforeAll(async () => {
    db = await startTestDatabase();
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

  it('lets exactly one of 100 concurrent guarded findOneAndUpdate calls claim a document', async () => {
    const docs = connections[0].collection('claims');
    for (let round = 0; round < 5; round++) {
      await docs.insertOne({ _id: `job-${round}` as unknown as mongoose.mongo.ObjectId, owner: null });
      const results = await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          connections[i % connections.length]
            .collection('claims')
            .findOneAndUpdate(
              { _id: `job-${round}` as unknown as mongoose.mongo.ObjectId, owner: null },
              { $set: { owner: `w${i}` } },
              { returnDocument: 'after' },
            ),
        ),
      );
      const winners = results.filter((doc) => doc !== null);
      expect(winners).toHaveLength(1);
      const stored = await docs.findOne({ _id: `job-${round}` as unknown as mongoose.mongo.ObjectId });
      expect(stored?.owner).toBe(winners[0].owner);
    }
  });

  it('never lets concurrent conditional increments overshoot a limit', async () => {
    const counters = connections[0].collection('counters');
    await counters.insertOne({ _id: 'daily' as unknown as mongoose.mongo.ObjectId, used: 0 });
    const limit = 50;
    const results = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        connections[i % connections.length]
          .collection('counters')
          .updateOne(
            { _id: 'daily' as unknown as mongoose.mongo.ObjectId, used: { $lte: limit - 1 } },
            { $inc: { used: 1 } },
          ),
      ),
    );
    expect(results.reduce((n, r) => n + r.modifiedCount, 0)).toBe(limit);
    expect((await counters.findOne({ _id: 'daily' as unknown as mongoose.mongo.ObjectId }))?.used).toBe(
      limit,
    );
  });
});
