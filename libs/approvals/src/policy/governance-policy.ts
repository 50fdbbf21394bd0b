import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode, ErrorDetail, forEachIndex, formatUsdtAmount } from '@app/common';
import { ComplianceCheck, ComplianceDraft, ComplianceOutcome } from '@app/compliance';
import { Policies, PolicyStore } from '@app/policies';
import {
  BatchDraft,
  GovernanceRecord,
  OutgoingGate,
  PolicyDecision,
  PolicyDraft,
  ReleasableTransfer,
  TransferPolicy,
} from '@app/transfers';

type Accepted = Extract<PolicyDecision, { governance: unknown }>;

/** What refuses one item of a batch rather than the request: a limit, or screening. */
const ITEM_REFUSALS: ErrorCode[] = [ErrorCode.LIMIT_EXCEEDED, ErrorCode.COMPLIANCE_BLOCKED];
/** Batch items evaluated side by side (each waits on a few database round trips). */
const ITEMS_AT_ONCE = 8;

/**
 * The decision at intake, in order: the emergency stop (USDT_ERR_703), compliance (screening, monitoring
 * rules and limit reservations; USDT_ERR_702/701), then the approval workflow:
 * - `default`: below the high-value threshold and nothing held it: approved at once;
 * - `high_value`: at or above the threshold: a quorum of distinct admins, never the requester;
 * - `review`: below the threshold but held by a monitoring rule or the allow-list mode: the same quorum;
 * - `batch_transfer`: every item of a batch whose total reaches the batch threshold, approved as a whole.
 */
@Injectable()
export class GovernancePolicy extends TransferPolicy {
  constructor(
    private readonly gate: OutgoingGate,
    private readonly policies: PolicyStore,
    private readonly compliance: ComplianceCheck,
  ) {
    super();
  }

  async decide(draft: PolicyDraft): Promise<PolicyDecision> {
    const policies = await this.open();
    const outcome = await this.screen(draft, policies);
    return decision(draft, outcome, policies);
  }

  async decideBatch(batch: BatchDraft): Promise<Accepted[]> {
    const policies = await this.open();
    const drafts = batch.items.map(complianceDraft);
    const prepared = await this.compliance.prepareBatch(drafts, policies);
    const outcomes: Array<ComplianceOutcome | undefined> = [];
    const refusals: Array<{ code: ErrorCode; details: ErrorDetail[] } | undefined> = [];
    const unscreened = () => drafts.filter((_, index) => !outcomes[index]);
    const screenedSoFar = () =>
      batch.items.flatMap((draft, index) => {
        const outcome = outcomes[index];
        return outcome ? [{ draft, outcome }] : [];
      });
    try {
      // Items side by side: each limit reservation is one atomic conditional update, so the order in which
      // items reach a counter cannot let them together pass a limit.
      await forEachIndex(batch.items.length, ITEMS_AT_ONCE, async (index) => {
        try {
          outcomes[index] = await this.compliance.evaluate(drafts[index], policies, prepared);
        } catch (err) {
          // Refusals are reported per item; anything else (database, node) fails the whole request.
          if (!(err instanceof AppError) || !ITEM_REFUSALS.includes(err.code)) throw err;
          refusals[index] = {
            code: err.code,
            details: [
              { field: `items.${index}`, item: index, code: err.code, message: err.message },
              ...err.details.map((detail) => ({ ...detail, field: `items.${index}`, item: index })),
            ],
          };
        }
      });
    } catch (err) {
      await this.compliance.abandon(prepared, unscreened());
      await this.releaseAll(screenedSoFar());
      throw err;
    }
    // Items refused before their limits were reserved still hold their share of the batch's counters.
    await this.compliance.abandon(prepared, unscreened());
    const screened = screenedSoFar();
    const refused = refusals.flatMap((refusal) => refusal?.details ?? []);
    const firstCode = refusals.find((refusal) => refusal)?.code;
    if (firstCode) {
      // All or nothing: a batch is accepted whole, so what its other items reserved goes back.
      await this.releaseAll(screened);
      throw new AppError(
        firstCode,
        `${countItems(refused)} of ${batch.items.length} batch items refused`,
        refused,
      );
    }
    const { threshold, quorum } = policies.approvals.batchTransfer;
    const asWhole =
      batch.totalRaw >= threshold
        ? {
            quorum,
            reason: `batch total ${formatUsdtAmount(batch.totalRaw)} at or above the batch threshold of ${formatUsdtAmount(threshold)}`,
          }
        : undefined;
    return screened.map(({ draft, outcome }) => decision(draft, outcome, policies, asWhole));
  }

  async released(transfer: ReleasableTransfer): Promise<void> {
    const reservations = transfer.governance?.reservations ?? [];
    if (reservations.length) await this.compliance.release(transfer.id, reservations);
  }

  /**
   * Intake is refused while stopped, from the state the signers use (at most EMERGENCY_STATE_MAX_AGE_MS old):
   * a transfer accepted in that interval after a stop on another instance is queued, and not signed.
   */
  private async open(): Promise<Policies> {
    await this.gate.assertOpen();
    return this.policies.current();
  }

  private screen(draft: PolicyDraft, policies: Policies): Promise<ComplianceOutcome> {
    return this.compliance.evaluate(complianceDraft(draft), policies);
  }

  /** Side by side, as the items were evaluated: a refused batch of 500 gives back 500 transfers' limits. */
  private async releaseAll(screened: Array<{ draft: PolicyDraft; outcome: ComplianceOutcome }>) {
    await forEachIndex(screened.length, ITEMS_AT_ONCE, async (index) => {
      const { draft, outcome } = screened[index];
      if (outcome.reservations.length) await this.compliance.release(draft.transferId, outcome.reservations);
    });
  }
}

function complianceDraft(draft: PolicyDraft): ComplianceDraft {
  return {
    transferId: draft.transferId,
    kind: draft.kind,
    wallet: draft.wallet,
    to: draft.to,
    amountRaw: draft.amountRaw,
    requestedBy: draft.requestedBy.sub,
    at: draft.at,
  };
}

function decision(
  draft: PolicyDraft,
  outcome: ComplianceOutcome,
  policies: Policies,
  asWhole?: { quorum: number; reason: string },
): Accepted {
  const { threshold, quorum } = policies.approvals.highValue;
  const highValue = draft.amountRaw >= threshold;
  const reasons = [
    ...(asWhole ? [asWhole.reason] : []),
    ...(highValue ? [`amount at or above the high-value threshold of ${formatUsdtAmount(threshold)}`] : []),
    ...outcome.holdReasons,
  ];
  const held = reasons.length > 0;
  const governance: GovernanceRecord = {
    workflow: asWhole ? 'batch_transfer' : highValue ? 'high_value' : held ? 'review' : 'default',
    reasons,
    // An item of a batch held as a whole still needs the review quorum for what holds it on its own (its
    // amount, a rule): the batch's quorum may be the smaller one.
    quorum: !held
      ? 0
      : asWhole
        ? Math.max(asWhole.quorum, highValue || outcome.holdReasons.length ? quorum : 0)
        : quorum,
    votes: [],
    ...(held && { expiresAt: new Date(draft.at.getTime() + policies.approvals.expiryMs) }),
    kycLevel: outcome.kycLevel,
    hits: outcome.hits,
    reservations: outcome.reservations,
    revision: 0,
  };
  return { outcome: held ? 'pending_approval' : 'approved', governance };
}

function countItems(details: ErrorDetail[]): number {
  return new Set(details.map((detail) => detail.item)).size;
}
