import { Injectable, Logger, NotFoundException } from '@nestjs/common';

import { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';

import { approvalsOf, PolicyProposal, ProposalVote, votesNeeded } from '../domain/policy-proposal';
import { PolicyProposalRepository } from '../persistence/policy-proposal.repository';
import { PolicyStore, toPlain } from '../policy-store';
import { ReconcileProposal } from './reconcile-proposal';

export type ProposalDecision = ProposalVote['decision'];

/** Concurrent votes on one proposal retry their compare-and-set this many times before answering 601. */
const MAX_ATTEMPTS = 8;

/**
 * An admin's vote on a pending policy proposal. Approvals count distinct admins (the proposer already
 * counts); the vote that reaches the quorum applies the document on top of exactly the revision it was
 * proposed against, so approvers never put in force something other than what they reviewed. One reject
 * ends it; the proposer may reject their own proposal to withdraw it. Every vote is audited.
 */
@Injectable()
export class DecidePolicyProposal {
  private readonly logger = new Logger(DecidePolicyProposal.name);

  constructor(
    private readonly proposals: PolicyProposalRepository,
    private readonly store: PolicyStore,
    private readonly reconcile: ReconcileProposal,
    private readonly audit: AuditTrail,
  ) {}

  async execute(
    id: string,
    caller: AuthUser,
    decision: ProposalDecision,
    comment?: string,
  ): Promise<PolicyProposal> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const stored = await this.proposals.findById(id);
      if (!stored) throw new NotFoundException('No policy proposal with that id');
      const proposal = await this.reconcile.execute(stored, await this.store.latest());
      this.assertDecidable(proposal, caller, decision);

      const vote: ProposalVote = { by: caller.sub, decision, at: new Date(), ...(comment && { comment }) };
      const decided =
        decision === 'reject'
          ? await this.proposals.close(id, proposal.revision, { status: 'rejected', vote })
          : approvalsOf(proposal) + 1 >= proposal.quorum
            ? await this.apply(proposal, vote)
            : await this.proposals.addVote(id, proposal.revision, vote);
      if (!decided) continue; // another vote got there first: look again
      await this.audit.record({
        action: `policies.${decision}`,
        subject: { type: 'policy_proposal', id },
        before: { status: proposal.status, approvals: approvalsOf(proposal) },
        after: { status: decided.status, approvals: approvalsOf(decided), votesNeeded: votesNeeded(decided) },
        details: comment ? { comment } : undefined,
      });
      this.logger.log({ proposalId: id, by: caller.sub, decision, status: decided.status }, 'policy vote');
      return decided;
    }
    throw new AppError(ErrorCode.WRITE_CONFLICT, 'The proposal is being decided concurrently; try again');
  }

  private assertDecidable(proposal: PolicyProposal, caller: AuthUser, decision: ProposalDecision): void {
    if (proposal.status === 'superseded') {
      throw new AppError(
        ErrorCode.INVALID_STATE,
        'The proposal is superseded: the policies changed since it was made; propose the change again',
      );
    }
    if (proposal.status !== 'pending') {
      throw new AppError(
        ErrorCode.INVALID_STATE,
        `The proposal is ${proposal.status}: there is nothing left to decide`,
      );
    }
    const withdrawing = decision === 'reject' && caller.sub === proposal.proposedBy;
    if (!withdrawing && proposal.votes.some((vote) => vote.by === caller.sub)) {
      throw new AppError(
        ErrorCode.INVALID_STATE,
        caller.sub === proposal.proposedBy
          ? 'Your proposal already counts as your approval; another admin must approve it'
          : 'You already decided this proposal; another admin must',
      );
    }
  }

  /**
   * The quorum-reaching vote: the policy record is replaced first, guarded by the proposal's base revision
   * (one winner among concurrent final votes), then the proposal is closed as applied. A crash in between
   * leaves the record naming this proposal, and reconciling closes it as applied later.
   */
  private async apply(proposal: PolicyProposal, vote: ProposalVote): Promise<PolicyProposal | null> {
    const approvedBy = [...proposal.votes.filter((v) => v.decision === 'approve').map((v) => v.by), vote.by];
    let change: Awaited<ReturnType<PolicyStore['replace']>>;
    try {
      change = await this.store.replace(proposal.document, proposal.proposedBy, proposal.baseRevision, {
        proposalId: proposal.id,
        approvedBy,
      });
    } catch (err) {
      if (!(err instanceof AppError) || err.code !== ErrorCode.WRITE_CONFLICT) throw err;
      const inForce = await this.store.latest();
      // A concurrent final vote applied this very proposal: look again (it is then closed as applied).
      if (inForce.proposalId === proposal.id) return null;
      await this.reconcile.execute(proposal, inForce);
      throw new AppError(
        ErrorCode.WRITE_CONFLICT,
        `The policies changed since this proposal was made (revision ${proposal.baseRevision}, now ` +
          `${inForce.revision}); it is superseded: propose the change again`,
      );
    }
    const closed = await this.proposals.close(proposal.id, proposal.revision, {
      status: 'applied',
      vote,
      appliedRevision: change.after.revision,
    });
    await this.audit.record({
      action: 'policies.replace',
      subject: { type: 'policies', id: `revision-${change.after.revision}` },
      before: toPlain(change.before.document),
      after: toPlain(change.after.document),
      details: { proposalId: proposal.id, proposedBy: proposal.proposedBy, approvedBy },
    });
    if (closed) return closed;
    // Closed meanwhile by a reconcile (the sweeper, a read) that saw the record name it: the vote that
    // applied it still belongs on it.
    return (
      (await this.proposals.addFinalVote(proposal.id, vote)) ?? (await this.proposals.findById(proposal.id))
    );
  }
}
