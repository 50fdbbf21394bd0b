import { Injectable } from '@nestjs/common';

import { ResolveWallet } from '@app/wallets';

/** How old the list may be: it only decides what idle loops look for; the signer checks the wallet itself. */
const HINT_MAX_AGE_MS = 1000;

/**
 * Addresses of disabled hot wallets, for the pipeline loops to leave their queued transfers alone (they
 * wait for admins, not for a poll). At most a second old, so every loop's every poll is not a registry read;
 * the money guard is elsewhere: the signer checks the wallet's record (at most WALLET_STATE_MAX_AGE_MS old,
 * at once after a change by this instance) before every signature.
 */
@Injectable()
export class DisabledWalletsHint {
  private hint?: { addresses: string[]; readAt: number };

  constructor(private readonly wallets: ResolveWallet) {}

  async addresses(): Promise<string[]> {
    if (this.hint && Date.now() - this.hint.readAt < HINT_MAX_AGE_MS) return this.hint.addresses;
    const addresses = (await this.wallets.disabledWallets()).map((w) => w.address);
    this.hint = { addresses, readAt: Date.now() };
    return addresses;
  }
}
