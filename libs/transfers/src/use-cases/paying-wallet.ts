import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode } from '@app/common';
import { ResolveWallet } from '@app/wallets';

/** The hot wallet a request pays from: the one it names (address or label), or the default. */
@Injectable()
export class PayingWallet {
  constructor(private readonly wallets: ResolveWallet) {}

  async resolve(addressOrLabel: string | undefined): Promise<{ address: string }> {
    if (!addressOrLabel) return this.wallets.getDefault();
    try {
      return await this.wallets.get(addressOrLabel);
    } catch (err) {
      // A wallet the caller named that is unknown is their input error (400), not a signing failure; a
      // disabled one keeps its own code (USDT_ERR_504) so the caller knows to pay from another wallet.
      if (err instanceof AppError && err.code === ErrorCode.SIGNING_FAILED) {
        throw new AppError(ErrorCode.VALIDATION_FAILED, 'wallet is not a registered, enabled hot wallet', [
          { field: 'wallet', message: 'unknown or disabled' },
        ]);
      }
      throw err;
    }
  }
}

/** A payout to the paying wallet itself would only burn fees. */
export function assertNotSelf(wallet: string, to: string, field = 'to'): void {
  if (wallet === to) {
    throw new AppError(ErrorCode.INVALID_ADDRESS, `${field} must differ from the paying wallet`, [
      { field, message: 'is the paying wallet' },
    ]);
  }
}
