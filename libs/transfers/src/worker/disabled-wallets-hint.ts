import { Injectable } from '@nestjs/common';

import { ResolveWallet } from '@app/wallets';

/** How old the list may be: it only decides what idle loops look for; the signer reads fresh. */
const HINT_MAX_AGE_MS = 1000;

/**
 * Addresses of disabled hot wallets, for the pipeline loops to leave their queued transfers alone (they
 * wait for admins, not for a poll). At most a second old, so every loop's every poll is not a registry read;
 * the money guard is elsewhere: the pipeline and the signer read the wallet fresh before signing.
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
