import { PolicyProposal } from '../domain/policy-proposal';
import { PolicyProposalDoc } from './policy-proposal.schema';

/** A stored proposal as the domain sees it; votes are stored as plain objects and read back field by field. */
export function toDomain(doc: PolicyProposalDoc): PolicyProposal {
  return {
    id: doc._id,
    status: doc.status,
    document: doc.document,
    baseRevision: doc.baseRevision,
    proposedBy: doc.proposedBy,
    quorum: doc.quorum,
    votes: (doc.votes ?? []).map((vote) => ({
      by: String(vote.by),
      decision: vote.decision === 'reject' ? 'reject' : 'approve',
      at: vote.at as Date,
      ...(typeof vote.comment === 'string' && { comment: vote.comment }),
    })),
    expiresAt: doc.expiresAt,
    createdAt: doc.createdAt,
    decidedAt: doc.decidedAt ?? undefined,
    appliedRevision: doc.appliedRevision ?? undefined,
    revision: doc.revision ?? 0,
  };
}
