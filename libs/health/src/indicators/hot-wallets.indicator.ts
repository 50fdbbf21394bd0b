import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { HealthIndicatorService } from '@nestjs/terminus';

import { AllConfig } from '@app/config';

import { HotWalletBalances } from '../wallets/hot-wallet-balances';

/**
 * Every enabled hot wallet holds at least WALLET_MIN_TRX_SUN to pay fees (energy and bandwidth burn TRX when
 * the wallet has no staked resources). Only on /health, never readiness: a wallet short of fees must alert
 * an operator, not take the API (reads, intake, approvals) out of rotation. One wallet short of TRX is a
 * warning naming it, not a failure: the other wallets still pay. Down only when no wallet is enabled at all.
 * Balances come from a 15 s cache.
 */
@Injectable()
export class HotWalletsHealthIndicator {
  private readonly minTrxSun: bigint;

  constructor(
    private readonly indicator: HealthIndicatorService,
    private readonly balances: HotWalletBalances,
    config: ConfigService<AllConfig, true>,
  ) {
    this.minTrxSun = config.getOrThrow('wallets.minTrxSun', { infer: true });
  }

  async check(key = 'hotWallets') {
    const session = this.indicator.check(key);
    // Strings: sun amounts may exceed 2^53 and the body is JSON.
    const minTrxSun = this.minTrxSun.toString();
    try {
      const { wallets } = await this.balances.snapshot();
      if (wallets.length === 0) {
        return session.down({ minTrxSun, wallets: 0, message: 'no enabled hot wallet: nothing can pay' });
      }
      const unreadable = wallets.filter((w) => w.trxSun === null).map((w) => w.address);
      const shortOfTrx = wallets
        .filter((w) => w.trxSun !== null && w.trxSun < this.minTrxSun)
        .map((w) => w.address);
      const warnings = [
        ...wallets
          .filter((w) => w.trxSun !== null && w.trxSun < this.minTrxSun)
          .map(
            (w) =>
              `hot wallet ${w.address} holds ${w.trxSun} sun of TRX, below the ${minTrxSun} floor for fees`,
          ),
        ...unreadable.map(
          (address) => `TRX balance of hot wallet ${address} could not be read from the node`,
        ),
      ];
      return session.up({ minTrxSun, wallets: wallets.length, shortOfTrx, unreadable, warnings });
    } catch (err) {
      return session.down({ minTrxSun, message: (err as Error).message });
    }
  }
}
