import { Injectable } from '@nestjs/common';

import type { Policies } from '@app/policies';
import { ResolveWallet } from '@app/wallets';

import { ComplianceDraft } from '../domain/compliance-draft';
import {
  firstPayoutApplies,
  firstPayoutFinding,
  inStructuringBand,
  lookalikeEnds,
  lookalikeFinding,
  looksAlike,
  roundAmountFinding,
  RuleFinding,
  structuringBand,
  structuringFinding,
  velocityFinding,
} from '../domain/monitoring-rules';
import { PayoutHistory } from '../persistence/payout-history';
import { GroupedFactReads } from './grouped-fact-reads';
import { HistoryFacts } from './intake-facts';
import { RecentVelocity } from './recent-velocity';

/** Look-alikes of one destination worth naming; one is enough to hold it. */
const LOOKALIKE_CANDIDATES = 5;

/**
 * Runs the monitoring rules on a draft. History is read only for rules that can fire at this amount, and the
 * reads run side by side. Rules are advisory holds: unlike limits they are not reserved atomically, so two
 * simultaneous drafts may both count as "first".
 */
@Injectable()
export class ApplyMonitoringRules {
  constructor(
    private readonly history: PayoutHistory,
    private readonly wallets: ResolveWallet,
    private readonly velocity: RecentVelocity,
    private readonly single: GroupedFactReads,
  ) {}

  /**
   * `facts`: where earlier payouts are read from (one read for all items of a batch); by default the history,
   * whether the destination was paid asked with the payouts of the same moment (GroupedFactReads), the
   * wallet's velocity count through RecentVelocity.
   */
  async execute(
    draft: ComplianceDraft,
    policies: Policies,
    facts: HistoryFacts = this.perDraft,
  ): Promise<RuleFinding[]> {
    const { monitoring } = policies;
    const scope = { kind: draft.kind, excludeId: draft.transferId };
    const at = draft.at.getTime();
    const threshold = policies.approvals.highValue.threshold;
    const band = structuringBand(threshold, monitoring.structuring.withinPercent);

    const needsPaidBefore =
      firstPayoutApplies(monitoring.firstPayout, draft.amountRaw) || monitoring.lookalike.enabled;
    // A destination known to be paid is neither a first payout nor a look-alike: nothing to read for either
    // (a payroll's recurring payees). Otherwise both are read side by side.
    const knownPaid = needsPaidBefore && facts.knownPaid(draft.to, scope);
    const [paidBefore, earlierInBand, earlierFromWallet, lookalikes] = await Promise.all([
      needsPaidBefore && !knownPaid ? facts.hasPaid(draft.to, scope) : Promise.resolve(true),
      monitoring.structuring.enabled && inStructuringBand(draft.amountRaw, band)
        ? facts.countToInBand(
            draft.to,
            new Date(at - monitoring.structuring.windowMs),
            band,
            scope,
            // With this payout, `count` in the band fires the rule: earlier ones beyond count - 1 change nothing.
            monitoring.structuring.count - 1,
          )
        : Promise.resolve(0),
      monitoring.velocity.enabled
        ? facts.countFrom(
            draft.wallet,
            new Date(at - monitoring.velocity.windowMs),
            scope,
            // With this payout, more than `maxCount` fires the rule.
            monitoring.velocity.maxCount,
          )
        : Promise.resolve(0),
      monitoring.lookalike.enabled && !knownPaid
        ? this.knownLookalikes(draft, policies, scope)
        : Promise.resolve([]),
    ]);

    return [
      firstPayoutFinding(monitoring.firstPayout, draft.amountRaw, paidBefore),
      structuringFinding(monitoring.structuring, threshold, draft.amountRaw, earlierInBand),
      roundAmountFinding(monitoring.roundAmount, draft.amountRaw),
      velocityFinding(monitoring.velocity, earlierFromWallet),
      lookalikeFinding(monitoring.lookalike, draft.to, paidBefore, lookalikes),
    ].filter((finding): finding is RuleFinding => finding !== null);
  }

  private readonly perDraft: HistoryFacts = {
    hasPaid: (to, scope) => this.single.hasPaid(to, scope),
    knownPaid: (to, scope) => this.single.knownPaid(to, scope),
    countFrom: (wallet, since, scope, atMost) => this.velocity.countFrom(wallet, since, scope, atMost),
    countToInBand: (to, since, band, scope, atMost) =>
      this.history.countToInBand(to, since, band, scope, atMost),
  };

  /**
   * Addresses we paid or manage that share both ends with the destination (read beside whether it was paid,
   * unless that is already known).
   */
  private async knownLookalikes(
    draft: ComplianceDraft,
    policies: Policies,
    scope: { kind: 'transfer' | 'approve'; excludeId: string },
  ): Promise<string[]> {
    const rule = policies.monitoring.lookalike;
    const ends = lookalikeEnds(draft.to, rule);
    const [paid, managed] = await Promise.all([
      this.history.paidWithEnds(draft.to, ends, scope, LOOKALIKE_CANDIDATES),
      this.wallets.allHotWalletAddresses(),
    ]);
    const similarManaged = managed.filter((address) => looksAlike(draft.to, address, rule));
    return [...similarManaged, ...paid];
  }
}
