import { Injectable } from '@nestjs/common';

import type { Policies } from '@app/policies';

import { ComplianceDraft } from '../domain/compliance-draft';
import {
  firstPayoutApplies,
  firstPayoutFinding,
  inStructuringBand,
  roundAmountFinding,
  RuleFinding,
  structuringBand,
  structuringFinding,
  velocityFinding,
} from '../domain/monitoring-rules';
import { PayoutHistory } from '../persistence/payout-history';

/**
 * Runs the monitoring rules on a draft. History is read only for rules that can fire at this amount, and the
 * reads run side by side. Rules are advisory holds: unlike limits they are not reserved atomically, so two
 * simultaneous drafts may both count as "first".
 */
@Injectable()
export class ApplyMonitoringRules {
  constructor(private readonly history: PayoutHistory) {}

  async execute(draft: ComplianceDraft, policies: Policies): Promise<RuleFinding[]> {
    const { monitoring } = policies;
    const scope = { kind: draft.kind, excludeId: draft.transferId };
    const at = draft.at.getTime();
    const threshold = policies.approvals.highValue.threshold;
    const band = structuringBand(threshold, monitoring.structuring.withinPercent);

    const [paidBefore, earlierInBand, earlierFromWallet] = await Promise.all([
      firstPayoutApplies(monitoring.firstPayout, draft.amountRaw)
        ? this.history.hasPaid(draft.to, scope)
        : Promise.resolve(true),
      monitoring.structuring.enabled && inStructuringBand(draft.amountRaw, band)
        ? this.history.countToInBand(draft.to, new Date(at - monitoring.structuring.windowMs), band, scope)
        : Promise.resolve(0),
      monitoring.velocity.enabled
        ? this.history.countFrom(draft.wallet, new Date(at - monitoring.velocity.windowMs), scope)
        : Promise.resolve(0),
    ]);

    return [
      firstPayoutFinding(monitoring.firstPayout, draft.amountRaw, paidBefore),
      structuringFinding(monitoring.structuring, threshold, draft.amountRaw, earlierInBand),
      roundAmountFinding(monitoring.roundAmount, draft.amountRaw),
      velocityFinding(monitoring.velocity, earlierFromWallet),
    ].filter((finding): finding is RuleFinding => finding !== null);
  }
}
