import { Injectable, Logger } from '@nestjs/common';

import { AuditTrail } from '@app/audit';
import { AppError, ErrorCode, formatUsdtAmount } from '@app/common';

import { ComplianceDraft } from '../domain/compliance-draft';

/** Which check refused a draft: a screening step or a monitoring rule whose action is `block`. */
export type BlockingCheck =
  | 'blocklist'
  | 'contract_blacklist'
  | 'provider'
  | 'provider_error'
  | 'first_payout'
  | 'structuring'
  | 'round_amount'
  | 'velocity'
  | 'lookalike';

/** What the caller is told: nothing about which list or rule, or why. */
const GENERIC_MESSAGE = 'Blocked by compliance screening';

/**
 * Records why a draft was refused (audit trail and log) and returns the USDT_ERR_702 to throw. The reason
 * stays internal: the error says only that compliance blocked the transfer.
 */
@Injectable()
export class ComplianceBlocks {
  private readonly logger = new Logger('Compliance');

  constructor(private readonly audit: AuditTrail) {}

  async block(draft: ComplianceDraft, check: BlockingCheck, reason: string): Promise<AppError> {
    const details = {
      reason,
      check,
      to: draft.to,
      wallet: draft.wallet,
      kind: draft.kind,
      amount: formatUsdtAmount(draft.amountRaw),
      requestedBy: draft.requestedBy,
    };
    this.logger.warn(
      { transferId: draft.transferId, ...details },
      `transfer blocked by compliance (${check}): ${reason}`,
    );
    try {
      await this.audit.record({
        action: 'compliance.blocked',
        subject: { type: 'transfer', id: draft.transferId },
        details,
      });
    } catch (err) {
      // The block stands either way (no money moves); the log line above keeps the reason.
      this.logger.error({ err, transferId: draft.transferId }, 'could not audit a compliance block');
    }
    return new AppError(ErrorCode.COMPLIANCE_BLOCKED, GENERIC_MESSAGE);
  }
}
