import { Injectable } from '@nestjs/common';

import { formatUsdtAmount } from '@app/common';
import { ComplianceCheck } from '@app/compliance';
import { PolicyStore } from '@app/policies';
import {
  GovernanceRecord,
  PolicyDecision,
  PolicyDraft,
  ReleasableTransfer,
  TransferPolicy,
} from '@app/transfers';

import { emergencyStopError } from '../emergency/emergency-gate';
import { EmergencyStop } from '../emergency/emergency-stop';

/**
 * The decision at intake, in order: the emergency stop (USDT_ERR_703), compliance (screening, monitoring
 * rules and limit reservations; USDT_ERR_702/701), then the approval workflow. At or above the high-value
 * threshold a quorum of distinct admins must approve (`high_value`); below it a transfer a rule or the
 * allow-list mode held needs the same quorum (`review`); anything else is approved at once (`default`).
 */
@Injectable()
export class GovernancePolicy extends TransferPolicy {
  constructor(
    private readonly emergency: EmergencyStop,
    private readonly policies: PolicyStore,
    private readonly compliance: ComplianceCheck,
  ) {
    super();
  }

  async decide(draft: PolicyDraft): Promise<PolicyDecision> {
    if ((await this.emergency.state()).active) throw emergencyStopError();
    const policies = await this.policies.current();
    const outcome = await this.compliance.evaluate(
      {
        transferId: draft.transferId,
        kind: draft.kind,
        wallet: draft.wallet,
        to: draft.to,
        amountRaw: draft.amountRaw,
        requestedBy: draft.requestedBy.sub,
        at: draft.at,
      },
      policies,
    );
    const { threshold, quorum } = policies.approvals.highValue;
    const highValue = draft.amountRaw >= threshold;
    const reasons = [
      ...(highValue ? [`amount at or above the high-value threshold of ${formatUsdtAmount(threshold)}`] : []),
      ...outcome.holdReasons,
    ];
    const held = reasons.length > 0;
    const governance: GovernanceRecord = {
      workflow: highValue ? 'high_value' : held ? 'review' : 'default',
      reasons,
      quorum: held ? quorum : 0,
      votes: [],
      ...(held && { expiresAt: new Date(draft.at.getTime() + policies.approvals.expiryMs) }),
      kycLevel: outcome.kycLevel,
      hits: outcome.hits,
      reservations: outcome.reservations,
      revision: 0,
    };
    return { outcome: held ? 'pending_approval' : 'approved', governance };
  }

  async released(transfer: ReleasableTransfer): Promise<void> {
    const reservations = transfer.governance?.reservations ?? [];
    if (reservations.length) await this.compliance.release(transfer.id, reservations);
  }
}
