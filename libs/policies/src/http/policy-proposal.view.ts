import { PolicyProposal, votesNeeded } from '../domain/policy-proposal';
import { PolicyProposalView } from '../dto/policy-proposal.dto';

export function toProposalView(proposal: PolicyProposal): PolicyProposalView {
  return {
    id: proposal.id,
    status: proposal.status,
    baseRevision: proposal.baseRevision,
    appliedRevision: proposal.appliedRevision ?? null,
    proposedBy: proposal.proposedBy,
    quorum: proposal.quorum,
    votesNeeded: votesNeeded(proposal),
    votes: proposal.votes,
    expiresAt: proposal.expiresAt,
    createdAt: proposal.createdAt,
    decidedAt: proposal.decidedAt ?? null,
    document: proposal.document,
  };
}
