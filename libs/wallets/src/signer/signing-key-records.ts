import { Provider } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';

import { RecentReads } from '@app/common';
import { AllConfig } from '@app/config';

import { WalletKeyRecord } from '../domain/wallet';
import { WalletRepository } from '../persistence/wallet.repository';

/**
 * Key records as the signer sees them: read at most once per `WALLET_STATE_MAX_AGE_MS` per wallet (one read
 * in flight, shared by every payout signing for it), so a busy wallet costs one read per interval instead of
 * one per signature. A disable (or key rotation) made by this instance is seen by its next signature; one
 * made by another instance within that interval plus one read, as with the emergency stop.
 */
export class SigningKeyRecords {
  private readonly reads: RecentReads<string, WalletKeyRecord | null>;

  constructor(
    wallets: WalletRepository,
    private readonly maxAgeMs: number,
  ) {
    this.reads = new RecentReads((address) => wallets.findKeyRecord(address));
  }

  find(address: string): Promise<WalletKeyRecord | null> {
    return this.reads.recent(address, this.maxAgeMs);
  }

  /** This instance changed the wallet (disabled, enabled, re-encrypted): its next signature reads it again. */
  changed(address: string): void {
    this.reads.forget(address);
  }
}

export const signingKeyRecordsProvider: Provider = {
  provide: SigningKeyRecords,
  inject: [WalletRepository, ConfigService],
  useFactory: (wallets: WalletRepository, config: ConfigService<AllConfig, true>) =>
    new SigningKeyRecords(wallets, config.getOrThrow('wallets', { infer: true }).stateMaxAgeMs),
};
