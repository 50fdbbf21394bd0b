import { Injectable } from '@nestjs/common';

import { AppError, ErrorCode, GroupedCalls } from '@app/common';
import { ResolveWallet } from '@app/wallets';

/** Stands for "the default wallet" among the names requests give. */
const DEFAULT = '';

/**
 * The hot wallet a request pays from: the one it names (address or label), or the default. Requests arriving
 * together that name the same wallet (most name none) share one read of it (see GroupedCalls): a wallet
 * disabled before a request arrived is never taken for it.
 */
@Injectable()
export class PayingWallet {
  private readonly reads = new GroupedCalls<string, { address: string }>((names) => {
    const distinct = [...new Set(names)];
    const wallets = distinct.map((name) => this.read(name).catch((err: Error) => err));
    return Promise.all(names.map((name) => wallets[distinct.indexOf(name)]));
  });

  constructor(private readonly wallets: ResolveWallet) {}

  resolve(addressOrLabel: string | undefined): Promise<{ address: string }> {
    return this.reads.call(addressOrLabel || DEFAULT);
  }

  private async read(addressOrLabel: string): Promise<{ address: string }> {
    if (addressOrLabel === DEFAULT) return this.wallets.getDefault();
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
