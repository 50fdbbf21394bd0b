import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { databaseUnavailable, isDuplicateKeyError } from '@app/database';

import { KycRecord } from '../domain/screening';
import { kycToDomain } from './compliance.mapper';
import { KycRegistry } from './kyc-registry';
import { KycLevelDoc } from './kyc-level.schema';

@Injectable()
export class MongooseKycRegistry extends KycRegistry {
  constructor(@InjectModel(KycLevelDoc.name) private readonly model: Model<KycLevelDoc>) {
    super();
  }

  async find(address: string): Promise<KycRecord | null> {
    try {
      const doc = await this.model.findOne({ address }).lean<KycLevelDoc>().exec();
      return doc ? kycToDomain(doc) : null;
    } catch (err) {
      throw databaseUnavailable(err, 'KYC registry');
    }
  }

  async findMany(addresses: readonly string[]): Promise<KycRecord[]> {
    if (addresses.length === 0) return [];
    try {
      const docs = await this.model
        .find({ address: { $in: [...addresses] } })
        .lean<KycLevelDoc[]>()
        .exec();
      return docs.map(kycToDomain);
    } catch (err) {
      throw databaseUnavailable(err, 'KYC registry');
    }
  }

  async put(record: KycRecord): Promise<KycRecord | null> {
    const fields = { level: record.level, updatedBy: record.updatedBy, updatedAt: record.updatedAt };
    const update =
      record.note !== undefined
        ? { $set: { ...fields, note: record.note } }
        : { $set: fields, $unset: { note: 1 } };
    // Two first-time PUTs for one address race on the unique index; the loser's retry updates the winner's.
    for (let attempt = 1; ; attempt++) {
      try {
        const before = await this.model
          .findOneAndUpdate({ address: record.address }, update, { upsert: true, new: false })
          .lean<KycLevelDoc>()
          .exec();
        return before ? kycToDomain(before) : null;
      } catch (err) {
        if (!isDuplicateKeyError(err) || attempt >= 2) throw databaseUnavailable(err, 'KYC registry');
      }
    }
  }
}
