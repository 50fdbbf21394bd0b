/**
 * A change to the security policies waiting for a second pair of eyes (four-eyes). `PUT /policies` makes one
 * when the policy-change quorum in force is above 1; it takes effect only once `quorum` distinct admins (the
 * proposer counting as one) have approved it. Plain types and rules, no Nest, no Mongoose.
 */

export const PROPOSAL_STATUSES = ['pending', 'applied', 'rejected', 'expired', 'superseded'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

export interface ProposalVote {
  by: string;
  decision: 'approve' | 'reject';
  comment?: string;
  at: Date;
}

export interface PolicyProposal {
  id: string;
  status: ProposalStatus;
  /** The whole validated policy document, as `PUT /policies` received it (amounts as decimal strings). */
  document: Record<string, unknown>;
  /** The policy revision it was proposed against: it applies only on top of exactly that revision. */
  baseRevision: number;
  proposedBy: string;
  /** Distinct approving admins needed, fixed when proposed (a proposal cannot lower its own bar). */
  quorum: number;
  /** The proposer's approval first. */
  votes: ProposalVote[];
  expiresAt: Date;
  createdAt: Date;
  /** When it left `pending`, and the policy revision it became when applied. */
  decidedAt?: Date;
  appliedRevision?: number;
  /** Grows with every vote: votes compare-and-set on it, so concurrent votes are all counted. */
  revision: number;
}

export function approvalsOf(proposal: Pick<PolicyProposal, 'votes'>): number {
  return proposal.votes.filter((vote) => vote.decision === 'approve').length;
}

/** Approving votes still missing; 0 once the proposal is no longer pending. */
export function votesNeeded(proposal: Pick<PolicyProposal, 'status' | 'votes' | 'quorum'>): number {
  if (proposal.status !== 'pending') return 0;
  return Math.max(0, proposal.quorum - approvalsOf(proposal));
}

export function isExpired(proposal: Pick<PolicyProposal, 'status' | 'expiresAt'>, now: Date): boolean {
  return proposal.status === 'pending' && proposal.expiresAt.getTime() <= now.getTime();
}

/**
 * What a pending proposal has become given the policies in force: `applied` if the current revision came from
 * it (a vote applied it but could not mark it), `superseded` if another change was applied since it was made
 * (approvers reviewed it against a state that is gone), `expired` past its time; otherwise still `pending`.
 */
export function reconciledStatus(
  proposal: Pick<PolicyProposal, 'id' | 'status' | 'baseRevision' | 'expiresAt'>,
  inForce: { revision: number; proposalId?: string },
  now: Date,
): ProposalStatus {
  if (proposal.status !== 'pending') return proposal.status;
  if (inForce.proposalId === proposal.id) return 'applied';
  if (inForce.revision !== proposal.baseRevision) return 'superseded';
  if (isExpired(proposal, now)) return 'expired';
  return 'pending';
}

/**
 * The cursor of the proposal listing, `<createdAt ms>_<id>` (as for transfers): any string matching it is a
 * position in the newest-first order (possibly past the end), never an error.
 */
export const PROPOSAL_CURSOR_PATTERN =
  /^[0-9]{1,15}_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
