import { Injectable } from '@nestjs/common';
import { InjectConnection } from '@nestjs/mongoose';
import type { Connection, mongo } from 'mongoose';

import { databaseUnavailable } from '@app/database';
import { IN_FLIGHT_STATUSES, TransferStatus } from '@app/transfers';

import { PaidAmong, PayoutHistory, PayoutScope } from './payout-history';

/** Confirmed, in flight or approved: the destination has (or is about to have) been paid. */
const PAID_STATUSES: readonly TransferStatus[] = [...IN_FLIGHT_STATUSES, 'confirmed'];
/** Everything that has not ended without paying: what a rule counts as a payout. */
const LIVE_OR_PAID_STATUSES: readonly TransferStatus[] = ['pending_approval', ...PAID_STATUSES];

/** The fields these reads use; the transfers lib owns the schema. */
interface TransferFields {
  _id: string;
  kind: string;
  status: string;
  to: string;
  wallet: string;
  amountRaw: bigint;
  createdAt: Date;
}

/**
 * Counts over the `transfers` collection, read-only and through the connection rather than the transfers
 * module's repository: the rules need counts with amount bands that its paged `list()` does not offer, and
 * fetching up to `maxCount + 1` whole documents to count them would be far slower.
 * Reads only fields the transfers schema indexes by: `to`/`wallet` + `createdAt`, then `kind`, `status`,
 * `amountRaw`.
 */
@Injectable()
export class MongoosePayoutHistory extends PayoutHistory {
  /** Transfer documents have string ids (UUIDs), not ObjectIds. */
  private readonly transfers: mongo.Collection<TransferFields>;

  constructor(@InjectConnection() connection: Connection) {
    super();
    this.transfers = connection.collection<TransferFields>('transfers');
  }

  async hasPaid(to: string, scope: PayoutScope): Promise<boolean> {
    const found = await this.run(() =>
      this.transfers.findOne({ ...this.base(scope, PAID_STATUSES), to }, { projection: { _id: 1 } }),
    );
    return found !== null;
  }

  async paidAmong(addresses: readonly string[], kind: PayoutScope['kind']): Promise<PaidAmong> {
    const paid = { paid: new Set<string>(), confirmed: new Set<string>() };
    if (addresses.length === 0) return paid;
    const docs = await this.run(() =>
      this.transfers
        .find(
          { kind, status: { $in: [...PAID_STATUSES] }, to: { $in: [...addresses] } },
          { projection: { _id: 0, to: 1, status: 1 } },
        )
        .toArray(),
    );
    for (const doc of docs) {
      paid.paid.add(doc.to);
      if (doc.status === 'confirmed') paid.confirmed.add(doc.to);
    }
    return paid;
  }

  countToInBand(
    to: string,
    since: Date,
    band: { low: bigint; high: bigint },
    scope: PayoutScope,
    atMost: number,
  ): Promise<number> {
    return this.countUpTo(
      {
        ...this.base(scope, LIVE_OR_PAID_STATUSES),
        to,
        createdAt: { $gte: since },
        amountRaw: { $gte: band.low, $lt: band.high },
      },
      atMost,
    );
  }

  async paidWithEnds(
    to: string,
    ends: { head: string; tail: string },
    scope: PayoutScope,
    limit: number,
  ): Promise<string[]> {
    // Anchored at the start, so MongoDB walks only the `to` index range of that prefix. Base58 has no
    // character that means anything in a regular expression. A string, not a RegExp: the embedded engine
    // refuses a BSON regular expression inside `$regex` (MongoDB takes both).
    const pattern = `^${ends.head}.*${ends.tail}$`;
    const docs = await this.run(() =>
      this.transfers
        .find(
          { ...this.base(scope, PAID_STATUSES), to: { $regex: pattern, $ne: to } },
          { projection: { _id: 0, to: 1 }, limit },
        )
        .toArray(),
    );
    return [...new Set(docs.map((doc) => doc.to))];
  }

  countFrom(wallet: string, since: Date, scope: PayoutScope, atMost: number): Promise<number> {
    return this.countUpTo(
      { ...this.base(scope, LIVE_OR_PAID_STATUSES), wallet, createdAt: { $gte: since } },
      atMost,
    );
  }

  /**
   * A find with a limit, not `countDocuments`: that is an aggregation, which the embedded engine answers by
   * scanning the collection, while a find is served by the `to`/`wallet` + `createdAt` index on both engines
   * and stops at `atMost`.
   */
  private async countUpTo(filter: mongo.Filter<TransferFields>, atMost: number): Promise<number> {
    if (atMost <= 0) return 0;
    const docs = await this.run(() =>
      this.transfers.find(filter, { projection: { _id: 1 }, limit: atMost }).toArray(),
    );
    return docs.length;
  }

  private base(scope: PayoutScope, statuses: readonly TransferStatus[]): mongo.Filter<TransferFields> {
    return { kind: scope.kind, status: { $in: [...statuses] }, _id: { $ne: scope.excludeId } };
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw databaseUnavailable(err, 'transfer history');
    }
  }
}
