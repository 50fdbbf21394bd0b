import { randomUUID } from 'node:crypto';
import mongoose from 'mongoose';

import { TransferStatsCounters } from '../../libs/transfers/src/persistence/transfer-stats-counters';
import {
  TransferStatsDoc,
  TransferStatsSchema,
} from '../../libs/transfers/src/persistence/transfer-stats.schema';
import type { CountedEvent } from '../../libs/transfers/src/persistence/transfer-stats-counters';
import { startTestDatabase, TestDatabase } from '../support/test-database';

/**
 * The stats counters on the embedded engine: every transfer event moves one conditional update, and an event
 * delivered again (delivery is at least once), late or concurrently is counted once.
 */
describe('transfer stats counters', () => {
  let db: TestDatabase;
  let connection: mongoose.Connection;
  let counters: TransferStatsCounters;
  const day = '2026-12-04';

  beforeAll(async () => {
    db = await startTestDatabase();
    connection = await mongoose
      .createConnection(db.uri, { dbName: 'stats_counters', useBigInt64: true })
      .asPromise();
    const model = connection.model(TransferStatsDoc.name, TransferStatsSchema);
    await model.syncIndexes();
    counters = new TransferStatsCounters(model);
  });

  afterAll(async () => {
    await connection.close();
    await db.stop();
  });

  /** The events of one payout that went approved -> signed -> broadcast -> `final`. */
  function lifecycle(transferId: string, amountRaw: bigint, final = 'confirmed' as const): CountedEvent[] {
    const statuses = ['approved', 'signed', 'broadcast', final] as const;
    return statuses.map((to, i) => ({
      transferId,
      event: i + 1,
      day,
      kind: 'transfer',
      amountRaw,
      from: i ? statuses[i - 1] : undefined,
      to,
    }));
  }

  it('counts each event once: repeated, out of order and concurrently', async () => {
    const a = lifecycle(randomUUID(), 1_500_000n);
    const b = lifecycle(randomUUID(), 9_007_199_254_740_993n); // beyond a double's precision
    const c = lifecycle(randomUUID(), 7n).slice(0, 2); // still signed
    // a in order, then all of it again; b backwards; c's events four times at once.
    for (const event of [...a, ...a]) await counters.apply(event);
    for (const event of [...b].reverse()) await counters.apply(event);
    await Promise.all([...c, ...c, ...c, ...c].map((event) => counters.apply(event)));

    const rows = await counters.rows([day]);
    expect(rows.sort((x, y) => x.status.localeCompare(y.status))).toEqual([
      { day, kind: 'transfer', status: 'confirmed', count: 2, amountRaw: 9_007_199_256_240_993n },
      { day, kind: 'transfer', status: 'signed', count: 1, amountRaw: 7n },
    ]);
  });

  it('loses no count when many transfers create and update the same documents at once', async () => {
    const fresh = '2026-12-05';
    const events = Array.from({ length: 200 }, (_, i) => ({
      ...lifecycle(randomUUID(), BigInt(i + 1))[0],
      day: fresh,
    }));
    await Promise.all(events.map((event) => counters.apply(event)));
    expect(await counters.rows([fresh])).toEqual([
      { day: fresh, kind: 'transfer', status: 'approved', count: 200, amountRaw: 20_100n },
    ]);
    expect(await counters.rows(['2026-11-30'])).toEqual([]);
  });

  it('records when counting started once, for every instance', async () => {
    const first = await counters.since();
    await new Promise((resolve) => setTimeout(resolve, 20));
    const again = await Promise.all([counters.since(), counters.since()]);
    expect(again).toEqual([first, first]);
  });
});
