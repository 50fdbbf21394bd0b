import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode, isTronAddress } from '@app/common';

import { NEVER_DISABLED, Wallet, WalletControl } from '../domain/wallet';
import { WalletRepository } from '../persistence/wallet.repository';
import { SigningKeyRecords } from '../signer/signing-key-records';

/** Concurrent disable/enable requests retry their compare-and-set this many times before answering 601. */
const MAX_ATTEMPTS = 8;

export interface DisableOutcome {
  wallet: Wallet;
  /** False when it was already disabled: the first disable and its reason stand. */
  changed: boolean;
}

export interface EnableOutcome {
  wallet: Wallet;
  enabled: boolean;
  /** Distinct admins still needed before it signs again. */
  votesNeeded: number;
  /** Admins who had voted before this vote (for the audit record). */
  votesBefore: string[];
}

/**
 * Takes one hot wallet out of service and back. Disabling is immediate (one admin): from then on the signer
 * refuses it, the pipeline parks its queued payouts and intake refuses new ones naming it. Enabling needs
 * `quorum` distinct admins, like lifting the emergency stop. The caller (governance) supplies the quorum
 * and writes the audit record; this use case keeps the state consistent across instances.
 */
@Injectable()
export class SwitchWallet {
  constructor(
    private readonly wallets: WalletRepository,
    private readonly keyRecords: SigningKeyRecords,
  ) {}

  async disable(address: string, by: string, reason: string): Promise<DisableOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const wallet = await this.find(address);
      if (wallet.disabled) return { wallet, changed: false };
      const control = wallet.control ?? NEVER_DISABLED;
      const next: Omit<WalletControl, 'revision'> = {
        reason,
        disabledBy: by,
        disabledAt: new Date(),
        enableVotes: [],
      };
      if (await this.wallets.writeControl(address, control.revision, true, next)) {
        this.keyRecords.changed(address);
        return { wallet: await this.find(address), changed: true };
      }
    }
    throw conflict();
  }

  async voteEnable(address: string, by: string, quorum: number, comment?: string): Promise<EnableOutcome> {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const wallet = await this.find(address);
      const control = wallet.control ?? NEVER_DISABLED;
      if (!wallet.disabled) throw new AppError(ErrorCode.INVALID_STATE, 'The wallet is not disabled');
      if (control.enableVotes.some((vote) => vote.by === by)) {
        throw new AppError(
          ErrorCode.INVALID_STATE,
          'You already asked to enable this wallet; another admin must agree',
          [{ field: 'enableVotes', message: `${control.enableVotes.length} of ${quorum}` }],
        );
      }
      const votes = [...control.enableVotes, { by, at: new Date(), ...(comment ? { comment } : {}) }];
      const enabled = votes.length >= quorum;
      const next: Omit<WalletControl, 'revision'> = enabled
        ? { enableVotes: votes, enabledAt: new Date() }
        : {
            reason: control.reason,
            disabledBy: control.disabledBy,
            disabledAt: control.disabledAt,
            enableVotes: votes,
          };
      if (await this.wallets.writeControl(address, control.revision, !enabled, next)) {
        this.keyRecords.changed(address);
        return {
          wallet: await this.find(address),
          enabled,
          votesNeeded: Math.max(0, quorum - votes.length),
          votesBefore: control.enableVotes.map((vote) => vote.by),
        };
      }
    }
    throw conflict();
  }

  private async find(address: string): Promise<Wallet> {
    if (!isTronAddress(address)) {
      throw new AppError(ErrorCode.INVALID_ADDRESS, 'address must be a base58check TRON address (T...)', [
        { field: 'address', message: 'is not a TRON address' },
      ]);
    }
    const wallet = await this.wallets.findByAddress(address);
    if (!wallet) {
      throw new AppError(ErrorCode.VALIDATION_FAILED, 'no hot wallet with this address', [
        { field: 'address', message: 'is not a registered hot wallet' },
      ]);
    }
    return wallet;
  }
}

function conflict(): AppError {
  return new AppError(ErrorCode.WRITE_CONFLICT, 'The wallet is being changed concurrently; try again');
}
