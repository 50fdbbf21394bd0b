import { Injectable } from '@nestjs/common';

import type { Policies } from '@app/policies';
import type { LimitReservation, RuleHit } from '@app/transfers';

import { ComplianceDraft, ComplianceOutcome } from '../domain/compliance-draft';
import { KycRegistry } from '../persistence/kyc-registry';
import { ApplyMonitoringRules } from './apply-monitoring-rules';
import { ComplianceBlocks } from './compliance-blocks';
import { LimitLedger } from './limit-ledger';
import { ScreenDestination } from './screen-destination';

/**
 * The compliance gate a transfer or approve passes before it is accepted: AML screening, the monitoring
 * rules, then the limits. The approvals layer calls it and stores the outcome on the transfer.
 */
@Injectable()
export class ComplianceCheck {
  constructor(
    private readonly screening: ScreenDestination,
    private readonly monitoring: ApplyMonitoringRules,
    private readonly limits: LimitLedger,
    private readonly kyc: KycRegistry,
    private readonly blocks: ComplianceBlocks,
  ) {}

  /**
   * Screens, applies the rules, reserves the limits. Throws USDT_ERR_702 (blocked; the reason is audited,
   * not returned) or USDT_ERR_701 (limit, named in the details); when it throws, nothing stays reserved.
   */
  async evaluate(draft: ComplianceDraft, policies: Policies): Promise<ComplianceOutcome> {
    const [screened, kycRecord] = await Promise.all([
      this.screening.execute(draft, policies),
      this.kyc.find(draft.to),
    ]);
    const kycLevel = kycRecord?.level ?? 'none';
    const hits: RuleHit[] = [...screened.hits];
    const holdReasons = [...screened.holdReasons];

    for (const finding of await this.monitoring.execute(draft, policies)) {
      if (finding.action === 'block') throw await this.blocks.block(draft, finding.rule, finding.detail);
      hits.push({ rule: finding.rule, action: 'approval', detail: finding.detail, at: draft.at });
      if (!holdReasons.includes(finding.rule)) holdReasons.push(finding.rule);
    }

    const reservations = await this.limits.reserve(draft, policies, kycLevel);
    return { kycLevel, hits, holdReasons, reservations };
  }

  /**
   * Gives back the capacity of a transfer that ended without paying (rejected, cancelled, expired, failed
   * before broadcast). Idempotent per (transferId, reservation): a second call gives nothing back twice.
   */
  release(transferId: string, reservations: LimitReservation[]): Promise<void> {
    return this.limits.release(transferId, reservations);
  }
}
