import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import { FilterQuery, Model } from 'mongoose';

import { databaseUnavailable } from '@app/database';

import { PolicyProposal, ProposalStatus, ProposalVote } from '../domain/policy-proposal';
import { toDomain } from './policy-proposal.mapper';
import { PolicyProposalDoc } from './policy-proposal.schema';

export type NewProposal = Omit<PolicyProposal, 'createdAt' | 'revision' | 'decidedAt' | 'appliedRevision'>;

export interface ProposalListQuery {
  status?: ProposalStatus;
  limit: number;
  cursor?: { createdAt: Date; id: string };
}

/** The only gateway to `policy_proposals`. Every change is guarded by the proposal's revision. */
export abstract class PolicyProposalRepository {
  abstract insert(proposal: NewProposal): Promise<PolicyProposal>;
  abstract findById(id: string): Promise<PolicyProposal | null>;
  /** Newest first. */
  abstract list(query: ProposalListQuery): Promise<PolicyProposal[]>;
  /** Adds a vote to a pending proposal still at `expectedRevision`; null when it changed meanwhile. */
  abstract addVote(id: string, expectedRevision: number, vote: ProposalVote): Promise<PolicyProposal | null>;
  /**
   * Ends a pending proposal still at `expectedRevision` (with the vote that ended it, if any); null when it
   * changed meanwhile.
   */
  abstract close(
    id: string,
    expectedRevision: number,
    outcome: { status: Exclude<ProposalStatus, 'pending'>; vote?: ProposalVote; appliedRevision?: number },
  ): Promise<PolicyProposal | null>;
  /** Adds the vote that applied a proposal already closed as applied, unless its voter is on it already. */
  abstract addFinalVote(id: string, vote: ProposalVote): Promise<PolicyProposal | null>;
}

@Injectable()
export class MongoosePolicyProposalRepository extends PolicyProposalRepository {
  constructor(@InjectModel(PolicyProposalDoc.name) private readonly model: Model<PolicyProposalDoc>) {
    super();
  }

  async insert(proposal: NewProposal): Promise<PolicyProposal> {
    const created = await this.run(() =>
      this.model.create({ _id: proposal.id, ...proposal, votes: proposal.votes, revision: 0 }),
    );
    return toDomain(created.toObject<PolicyProposalDoc>());
  }

  async findById(id: string): Promise<PolicyProposal | null> {
    const doc = await this.run(() => this.model.findById(id).lean<PolicyProposalDoc>().exec());
    return doc ? toDomain(doc) : null;
  }

  async list(query: ProposalListQuery): Promise<PolicyProposal[]> {
    const filter: FilterQuery<PolicyProposalDoc> = {};
    if (query.status) filter.status = query.status;
    if (query.cursor) {
      const { createdAt, id } = query.cursor;
      filter.$or = [{ createdAt: { $lt: createdAt } }, { createdAt, _id: { $lt: id } }];
    }
    const docs = await this.run(() =>
      this.model
        .find(filter)
        .sort({ createdAt: -1, _id: -1 })
        .limit(query.limit)
        .lean<PolicyProposalDoc[]>()
        .exec(),
    );
    return docs.map(toDomain);
  }

  async addVote(id: string, expectedRevision: number, vote: ProposalVote): Promise<PolicyProposal | null> {
    const doc = await this.run(() =>
      this.model
        .findOneAndUpdate(
          { _id: id, status: 'pending', revision: expectedRevision },
          { $push: { votes: vote }, $set: { revision: expectedRevision + 1 } },
          { new: true },
        )
        .lean<PolicyProposalDoc>()
        .exec(),
    );
    return doc ? toDomain(doc) : null;
  }

  async close(
    id: string,
    expectedRevision: number,
    outcome: { status: Exclude<ProposalStatus, 'pending'>; vote?: ProposalVote; appliedRevision?: number },
  ): Promise<PolicyProposal | null> {
    const set: Record<string, unknown> = {
      status: outcome.status,
      decidedAt: new Date(),
      revision: expectedRevision + 1,
    };
    if (outcome.appliedRevision !== undefined) set.appliedRevision = outcome.appliedRevision;
    const doc = await this.run(() =>
      this.model
        .findOneAndUpdate(
          { _id: id, status: 'pending', revision: expectedRevision },
          { $set: set, ...(outcome.vote && { $push: { votes: outcome.vote } }) },
          { new: true },
        )
        .lean<PolicyProposalDoc>()
        .exec(),
    );
    return doc ? toDomain(doc) : null;
  }

  async addFinalVote(id: string, vote: ProposalVote): Promise<PolicyProposal | null> {
    const doc = await this.run(() =>
      this.model
        .findOneAndUpdate(
          { _id: id, status: 'applied', 'votes.by': { $ne: vote.by } },
          { $push: { votes: vote }, $inc: { revision: 1 } },
          { new: true },
        )
        .lean<PolicyProposalDoc>()
        .exec(),
    );
    return doc ? toDomain(doc) : null;
  }

  private async run<T>(query: () => Promise<T>): Promise<T> {
    try {
      return await query();
    } catch (err) {
      throw databaseUnavailable(err, 'policy proposals');
    }
  }
}
