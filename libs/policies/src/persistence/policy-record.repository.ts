import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { databaseUnavailable, isDuplicateKeyError } from '@app/database';

import { PolicyRecordDoc } from './policy-record.schema';

export interface PolicyRecord {
  revision: number;
  document: Record<string, unknown>;
  updatedBy: string;
  updatedAt: Date;
  /** The four-eyes proposal this revision came from, and the admins who approved it (proposer first). */
  proposalId?: string;
  approvedBy?: string[];
}

/** The run-time policy document; absent until an admin first changes the policies. */
export abstract class PolicyRecordRepository {
  abstract find(): Promise<PolicyRecord | null>;
  /** Stores revision `expectedRevision + 1`; false when another change got there first. */
  abstract replace(expectedRevision: number, record: Omit<PolicyRecord, 'revision'>): Promise<boolean>;
}

const RECORD_ID = 'security';

@Injectable()
export class MongoosePolicyRecordRepository extends PolicyRecordRepository {
  constructor(@InjectModel(PolicyRecordDoc.name) private readonly model: Model<PolicyRecordDoc>) {
    super();
  }

  async find(): Promise<PolicyRecord | null> {
    try {
      const doc = await this.model.findById(RECORD_ID).lean<PolicyRecordDoc>().exec();
      if (!doc) return null;
      return {
        revision: doc.revision,
        document: doc.document,
        updatedBy: doc.updatedBy,
        updatedAt: doc.updatedAt,
        proposalId: doc.proposalId ?? undefined,
        approvedBy: doc.approvedBy ?? undefined,
      };
    } catch (err) {
      throw databaseUnavailable(err, 'policy store');
    }
  }

  async replace(expectedRevision: number, record: Omit<PolicyRecord, 'revision'>): Promise<boolean> {
    try {
      if (expectedRevision === 0) {
        // The first run-time change creates the record; a concurrent first change hits the unique _id.
        await this.model.create({ _id: RECORD_ID, revision: 1, ...record });
        return true;
      }
      // A replacement without a proposal must not keep the previous one's provenance.
      const unset = {
        ...(!record.proposalId && { proposalId: 1 }),
        ...(!record.approvedBy && { approvedBy: 1 }),
      };
      const updated = await this.model
        .findOneAndUpdate(
          { _id: RECORD_ID, revision: expectedRevision },
          {
            $set: { ...record, revision: expectedRevision + 1 },
            ...(Object.keys(unset).length && { $unset: unset }),
          },
          { new: true },
        )
        .lean()
        .exec();
      return updated !== null;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw databaseUnavailable(err, 'policy store');
    }
  }
}
