import { Injectable, Logger } from '@nestjs/common';

import { AuditTrail } from '@app/audit';

import { PolicyProposal, reconciledStatus } from '../domain/policy-proposal';
import { PolicyProposalRepository } from '../persistence/policy-proposal.repository';
import { EffectivePolicies } from '../policy-store';

/**
 * Brings a pending proposal's stored status in line with the policies in force (expired, superseded, or
 * applied by a vote that could not mark it), audited once: the guarded close lets only one caller record it.
 * Proposals are reconciled whenever they are read or voted on, and by the sweeper.
 */
@Injectable()
export class ReconcileProposal {
  private readonly logger = new Logger(ReconcileProposal.name);

  constructor(
    private readonly proposals: PolicyProposalRepository,
    private readonly audit: AuditTrail,
  ) {}

  async execute(
    proposal: PolicyProposal,
    inForce: EffectivePolicies,
    now = new Date(),
  ): Promise<PolicyProposal> {
    const status = reconciledStatus(proposal, inForce, now);
    if (status === proposal.status || status === 'pending') return proposal;
    const closed = await this.proposals.close(proposal.id, proposal.revision, {
      status,
      ...(status === 'applied' && { appliedRevision: inForce.revision }),
    });
    if (!closed) return (await this.proposals.findById(proposal.id)) ?? proposal;
    await this.audit.record({
      action: `policies.${status}`,
      subject: { type: 'policy_proposal', id: proposal.id },
      before: { status: 'pending', baseRevision: proposal.baseRevision },
      after: { status, revisionInForce: inForce.revision },
      // Nobody decided this: time passed, or another change was applied first.
      actor: { id: 'system:policy-proposals', roles: [] },
    });
    this.logger.log({ proposalId: proposal.id, status }, 'policy proposal closed');
    return closed;
  }
}
