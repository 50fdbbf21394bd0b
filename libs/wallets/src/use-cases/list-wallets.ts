import { Injectable } from '@nestjs/common';

import { WalletListing } from '../domain/wallet';
import { WalletListingBuilder } from '../listing/wallet-listing.builder';
import { WalletRepository } from '../persistence/wallet.repository';

/** Every hot wallet, oldest first, with live USDT and TRX balances unless `balances: false`. */
@Injectable()
export class ListWallets {
  constructor(
    private readonly wallets: WalletRepository,
    private readonly listing: WalletListingBuilder,
  ) {}

  async execute(options: { balances?: boolean } = {}): Promise<WalletListing[]> {
    return this.listing.build(await this.wallets.list(), options.balances ?? true);
  }
}
