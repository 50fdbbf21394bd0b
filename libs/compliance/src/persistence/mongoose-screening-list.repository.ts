import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';

import { databaseUnavailable } from '@app/database';

import { ScreeningEntry, ScreeningList } from '../domain/screening';
import { screeningEntryToDomain, screeningEntryToPersistence } from './compliance.mapper';
import { ScreeningEntryDoc } from './screening-entry.schema';
import { ScreeningListRepository, ScreeningPageQuery } from './screening-list.repository';

/** Upserts go to the engine in slices of this many statements. */
const WRITE_BATCH = 500;

@Injectable()
export class MongooseScreeningListRepository extends ScreeningListRepository {
  constructor(@InjectModel(ScreeningEntryDoc.name) private readonly model: Model<ScreeningEntryDoc>) {
    super();
  }

  async findByAddresses(addresses: readonly string[]): Promise<ScreeningEntry[]> {
    if (addresses.length === 0) return [];
    const docs = await this.run(() =>
      this.model
        .find({ address: { $in: [...addresses] } })
        .lean<ScreeningEntryDoc[]>()
        .exec(),
    );
    return docs.map(screeningEntryToDomain);
  }

  async findMany(list: ScreeningList, addresses: readonly string[]): Promise<ScreeningEntry[]> {
    if (addresses.length === 0) return [];
    const docs = await this.run(() =>
      this.model
        .find({ list, address: { $in: [...addresses] } })
        .lean<ScreeningEntryDoc[]>()
        .exec(),
    );
    return docs.map(screeningEntryToDomain);
  }

  async page(query: ScreeningPageQuery): Promise<ScreeningEntry[]> {
    const filter: FilterQuery<ScreeningEntryDoc> = {};
    if (query.list) filter.list = query.list;
    if (query.after) {
      const { list, address } = query.after;
      filter.$or = query.list
        ? [{ address: { $gt: address } }]
        : [{ list: { $gt: list } }, { list, address: { $gt: address } }];
    }
    const docs = await this.run(() =>
      this.model
        .find(filter)
        .sort({ list: 1, address: 1 })
        .limit(query.limit)
        .lean<ScreeningEntryDoc[]>()
        .exec(),
    );
    return docs.map(screeningEntryToDomain);
  }

  async upsertMany(entries: readonly ScreeningEntry[]): Promise<void> {
    for (let start = 0; start < entries.length; start += WRITE_BATCH) {
      const slice = entries.slice(start, start + WRITE_BATCH).map(screeningEntryToPersistence);
      await this.run(() =>
        this.model.bulkWrite(
          slice.map((doc) => {
            const fields = { source: doc.source, addedBy: doc.addedBy, addedAt: doc.addedAt };
            return {
              updateOne: {
                filter: { address: doc.address, list: doc.list },
                // A new entry without a reason must not keep the reason of the entry it replaces.
                update:
                  doc.reason !== undefined
                    ? { $set: { ...fields, reason: doc.reason } }
                    : { $set: fields, $unset: { reason: 1 } },
                upsert: true,
              },
            };
          }),
          { ordered: false },
        ),
      );
    }
  }

  async remove(list: ScreeningList, address: string): Promise<ScreeningEntry | null> {
    const doc = await this.run(() =>
      this.model.findOneAndDelete({ list, address }).lean<ScreeningEntryDoc>().exec(),
    );
    return doc ? screeningEntryToDomain(doc) : null;
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw databaseUnavailable(err, 'screening lists');
    }
  }
}
