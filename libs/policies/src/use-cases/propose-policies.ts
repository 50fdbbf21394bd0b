import { Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';

import { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { AppError, ErrorCode } from '@app/common';

import { PolicyProposal } from '../domain/policy-proposal';
import { PolicyProposalRepository } from '../persistence/policy-proposal.repository';
import { EffectivePolicies, PolicyStore, toPlain } from '../policy-store';
import { ReplacePolicies } from './replace-policies';

/** In force at once (policy-change quorum 1), or waiting for more admins as a proposal. */
export type PolicyChangeOutcome = { applied: EffectivePolicies } | { proposal: PolicyProposal };

/**
 * PUT /policies. With `approvals.workflows.policy_change.quorum` 1 the document replaces the policies at once,
 * as it always did. Above 1 it becomes a proposal, validated now (so approvers only ever see a valid
 * document), based on the revision in force, approved by its proposer, and in force only when enough
 * distinct admins approve it. The quorum is the one in force, so no proposal can lower its own bar.
 */
@Injectable()
export class ProposePolicies {
  constructor(
    private readonly store: PolicyStore,
    private readonly proposals: PolicyProposalRepository,
    private readonly replacePolicies: ReplacePolicies,
    private readonly audit: AuditTrail,
  ) {}

  async execute(
    document: unknown,
    caller: AuthUser,
    expectedRevision?: number,
  ): Promise<PolicyChangeOutcome> {
    const inForce = await this.store.latest();
    const { quorum } = inForce.policies.approvals.policyChange;
    if (quorum <= 1)
      return { applied: await this.replacePolicies.execute(document, caller, expectedRevision) };

    const parsed = this.store.validate(document);
    if (expectedRevision !== undefined && expectedRevision !== inForce.revision) {
      throw new AppError(
        ErrorCode.WRITE_CONFLICT,
        'The policies changed since revision ' + expectedRevision,
        [{ field: 'If-Match', message: `current revision is ${inForce.revision}` }],
      );
    }
    const now = new Date();
    const proposal = await this.proposals.insert({
      id: randomUUID(),
      status: 'pending',
      document: toPlain(parsed.document),
      baseRevision: inForce.revision,
      proposedBy: caller.sub,
      quorum,
      votes: [{ by: caller.sub, decision: 'approve', at: now }],
      expiresAt: new Date(now.getTime() + inForce.policies.approvals.expiryMs),
    });
    await this.audit.record({
      action: 'policies.propose',
      subject: { type: 'policy_proposal', id: proposal.id },
      before: toPlain(inForce.document),
      after: proposal.document,
      details: { baseRevision: proposal.baseRevision, quorum, expiresAt: proposal.expiresAt.toISOString() },
    });
    return { proposal };
  }
}
