import { Injectable } from '@nestjs/common';

import type { Policies } from '@app/policies';
import type { LimitReservation, RuleHit } from '@app/transfers';

import { ComplianceDraft, ComplianceOutcome } from '../domain/compliance-draft';
import { KycRegistry } from '../persistence/kyc-registry';
import { PayoutHistory } from '../persistence/payout-history';
import { ScreeningListRepository } from '../persistence/screening-list.repository';
import { ApplyMonitoringRules } from './apply-monitoring-rules';
import { ComplianceBlocks } from './compliance-blocks';
import { GroupedFactReads } from './grouped-fact-reads';
import { factsForBatch, IntakeFacts } from './intake-facts';
import { LimitLedger } from './limit-ledger';
import { ScreenDestination } from './screen-destination';

/** What the drafts of one batch share: facts read once, and the limit counters taken for all of them. */
export interface BatchCompliance {
  facts: IntakeFacts;
  sharedLimits: ReadonlySet<string>;
}

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
    private readonly lists: ScreeningListRepository,
    private readonly history: PayoutHistory,
    private readonly single: GroupedFactReads,
  ) {}

  /**
   * For the drafts of one batch (one wallet, one kind, one moment): the database facts they need, read with
   * one command per question instead of one per draft, the token's blacklist asked about all destinations
   * together, and the limit counters they all share, reserved with one update each. Pass it to `evaluate`
   * for each draft; give back with `abandon` the drafts that were not evaluated, or were refused.
   */
  async prepareBatch(drafts: readonly ComplianceDraft[], policies: Policies): Promise<BatchCompliance> {
    const { lists, kyc, history } = this;
    const destinations = drafts.map((draft) => draft.to);
    const [facts] = await Promise.all([
      factsForBatch(
        { lists, kyc, history, payees: this.single },
        destinations,
        drafts[0]?.kind ?? 'transfer',
      ),
      this.screening.prepareBatch(destinations, policies),
    ]);
    return { facts, sharedLimits: await this.limits.reserveShared(drafts, policies) };
  }

  /** Gives back the shared limits of batch drafts that hold no outcome of `evaluate`. */
  abandon(batch: BatchCompliance, drafts: readonly ComplianceDraft[]): Promise<void> {
    return this.limits.releaseShared(drafts, batch.sharedLimits);
  }

  /**
   * Screens, applies the rules, reserves the limits. Throws USDT_ERR_702 (blocked; the reason is audited,
   * not returned) or USDT_ERR_701 (limit, named in the details); when it throws, nothing stays reserved.
   */
  async evaluate(
    draft: ComplianceDraft,
    policies: Policies,
    batch?: BatchCompliance,
  ): Promise<ComplianceOutcome> {
    const facts = batch?.facts;
    // A single payout's reads are shared with the single payouts arriving at the same time.
    const [screened, kycRecord] = await Promise.all([
      (facts ? facts.screeningEntries(draft.to) : this.single.screeningEntries(draft.to)).then((entries) =>
        this.screening.execute(draft, policies, entries),
      ),
      facts ? facts.kyc(draft.to) : this.single.kycRecord(draft.to),
    ]);
    const kycLevel = kycRecord?.level ?? 'none';
    const hits: RuleHit[] = [...screened.hits];
    const holdReasons = [...screened.holdReasons];

    for (const finding of await this.monitoring.execute(draft, policies, facts)) {
      if (finding.action === 'block') throw await this.blocks.block(draft, finding.rule, finding.detail);
      hits.push({ rule: finding.rule, action: 'approval', detail: finding.detail, at: draft.at });
      if (!holdReasons.includes(finding.rule)) holdReasons.push(finding.rule);
    }

    const reservations = await this.limits.reserve(draft, policies, kycLevel, batch?.sharedLimits);
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
