import { Injectable, Logger } from '@nestjs/common';

import { AuditTrail } from '@app/audit';
import type { AuthUser } from '@app/auth';
import { ErrorCode } from '@app/common';
import { PolicyStore } from '@app/policies';
import { TransferRepository } from '@app/transfers';
import { EnableOutcome, SwitchWallet, Wallet } from '@app/wallets';

/**
 * Disabling and enabling one hot wallet, as governance: any admin disables it at once (a suspected leak, a
 * wallet being retired) while every other wallet keeps paying; enabling it needs the same quorum of distinct
 * admins as lifting the emergency stop (`approvals.workflows.emergency.resumeQuorum`). Every step is audited.
 */
@Injectable()
export class WalletControls {
  private readonly logger = new Logger(WalletControls.name);

  constructor(
    private readonly switches: SwitchWallet,
    private readonly transfers: TransferRepository,
    private readonly policies: PolicyStore,
    private readonly audit: AuditTrail,
  ) {}

  async disable(caller: AuthUser, address: string, reason: string): Promise<Wallet> {
    const { wallet, changed } = await this.switches.disable(address, caller.sub, reason);
    if (!changed) return wallet;
    this.logger.warn({ wallet: address, by: caller.sub }, 'hot wallet disabled: it signs nothing more');
    // Its queued payouts say why they do not move, at once: the pipeline will not claim them while disabled.
    const parked = await this.transfers.markQueuedWaiting(address, {
      code: ErrorCode.WALLET_DISABLED,
      message: `hot wallet ${address} is disabled: this transfer waits until admins enable it (or cancel it)`,
      at: new Date(),
    });
    await this.audit.record({
      action: 'wallet.disable',
      subject: { type: 'wallet', id: address },
      before: { disabled: false },
      after: { disabled: true, reason },
      details: { queuedTransfers: parked },
    });
    return wallet;
  }

  async requestEnable(caller: AuthUser, address: string, comment?: string): Promise<EnableOutcome> {
    const { resumeQuorum } = (await this.policies.current()).approvals.emergency;
    const outcome = await this.switches.voteEnable(address, caller.sub, resumeQuorum, comment);
    const votes = outcome.wallet.control?.enableVotes.map((vote) => vote.by) ?? [];
    await this.audit.record({
      action: outcome.enabled ? 'wallet.enable' : 'wallet.enable_vote',
      subject: { type: 'wallet', id: address },
      before: { disabled: true, enableVotes: outcome.votesBefore },
      after: { disabled: !outcome.enabled, enableVotes: votes },
      details: comment ? { comment } : undefined,
    });
    if (outcome.enabled) this.logger.warn({ wallet: address, by: votes }, 'hot wallet enabled again');
    return outcome;
  }
}
