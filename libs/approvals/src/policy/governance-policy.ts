import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode, ErrorDetail, formatUsdtAmount } from '@app/common';
import { ComplianceCheck, ComplianceOutcome } from '@app/compliance';
import { Policies, PolicyStore } from '@app/policies';
import {
  BatchDraft,
  GovernanceRecord,
  PolicyDecision,
  PolicyDraft,
  ReleasableTransfer,
  TransferPolicy,
} from '@app/transfers';

import { emergencyStopError } from '../emergency/emergency-gate';
import { EmergencyStop } from '../emergency/emergency-stop';

type Accepted = Extract<PolicyDecision, { governance: unknown }>;

/** What refuses one item of a batch rather than the request: a limit, or screening. */
const ITEM_REFUSALS: ErrorCode[] = [ErrorCode.LIMIT_EXCEEDED, ErrorCode.COMPLIANCE_BLOCKED];

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
    private readonly emergency: EmergencyStop,
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
    const screened: Array<{ draft: PolicyDraft; outcome: ComplianceOutcome }> = [];
    const refused: ErrorDetail[] = [];
    let firstCode: ErrorCode | undefined;
    for (const [index, draft] of batch.items.entries()) {
      try {
        screened.push({ draft, outcome: await this.screen(draft, policies) });
      } catch (err) {
        // Refusals are reported per item; anything else (database, node) fails the whole request.
        if (!(err instanceof AppError) || !ITEM_REFUSALS.includes(err.code)) {
          await this.releaseAll(screened);
          throw err;
        }
        firstCode ??= err.code;
        refused.push({ field: `items.${index}`, item: index, code: err.code, message: err.message });
        refused.push(...err.details.map((detail) => ({ ...detail, field: `items.${index}`, item: index })));
      }
    }
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

  private async open(): Promise<Policies> {
    if ((await this.emergency.state()).active) throw emergencyStopError();
    return this.policies.current();
  }

  private screen(draft: PolicyDraft, policies: Policies): Promise<ComplianceOutcome> {
    return this.compliance.evaluate(
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
  }

  private async releaseAll(screened: Array<{ draft: PolicyDraft; outcome: ComplianceOutcome }>) {
    for (const { draft, outcome } of screened) {
      if (outcome.reservations.length) await this.compliance.release(draft.transferId, outcome.reservations);
    }
  }
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
    quorum: !held ? 0 : asWhole ? Math.max(asWhole.quorum, highValue ? quorum : 0) : quorum,
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
