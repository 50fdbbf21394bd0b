import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { Model } from 'mongoose';

import { databaseUnavailable, isDuplicateKeyError } from '@app/database';

import { EmergencyStateDoc } from './emergency-state.schema';

export interface ResumeVote {
  by: string;
  at: Date;
  comment?: string;
}

export interface EmergencyState {
  active: boolean;
  /** 0 when the stop was never used. */
  revision: number;
  reason?: string;
  stoppedBy?: string;
  stoppedAt?: Date;
  resumeVotes: ResumeVote[];
  resumedAt?: Date;
}

export const NEVER_STOPPED: EmergencyState = { active: false, revision: 0, resumeVotes: [] };

/** The one emergency-state document. Writes are compare-and-set on `revision`; false means "lost a race". */
export abstract class EmergencyStateRepository {
  abstract read(): Promise<EmergencyState>;
  abstract write(expectedRevision: number, next: Omit<EmergencyState, 'revision'>): Promise<boolean>;
}

const STATE_ID = 'emergency';

@Injectable()
export class MongooseEmergencyStateRepository extends EmergencyStateRepository {
  constructor(@InjectModel(EmergencyStateDoc.name) private readonly model: Model<EmergencyStateDoc>) {
    super();
  }

  async read(): Promise<EmergencyState> {
    try {
      const doc = await this.model.findById(STATE_ID).lean<EmergencyStateDoc>().exec();
      if (!doc) return NEVER_STOPPED;
      return {
        active: doc.active,
        revision: doc.revision,
        reason: doc.reason ?? undefined,
        stoppedBy: doc.stoppedBy ?? undefined,
        stoppedAt: doc.stoppedAt ?? undefined,
        resumeVotes: (doc.resumeVotes ?? []).map((vote) => ({
          by: vote.by,
          at: vote.at,
          comment: vote.comment ?? undefined,
        })),
        resumedAt: doc.resumedAt ?? undefined,
      };
    } catch (err) {
      throw databaseUnavailable(err, 'emergency state');
    }
  }

  async write(expectedRevision: number, next: Omit<EmergencyState, 'revision'>): Promise<boolean> {
    const fields = { ...next, revision: expectedRevision + 1 };
    try {
      if (expectedRevision === 0) {
        await this.model.create({ _id: STATE_ID, ...fields });
        return true;
      }
      const updated = await this.model
        .findOneAndUpdate({ _id: STATE_ID, revision: expectedRevision }, { $set: fields }, { new: true })
        .lean()
        .exec();
      return updated !== null;
    } catch (err) {
      if (isDuplicateKeyError(err)) return false;
      throw databaseUnavailable(err, 'emergency state');
    }
  }
}
