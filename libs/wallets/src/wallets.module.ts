import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { DevnetHotWalletBootstrap } from './bootstrap/devnet-hot-wallet.bootstrap';
import { keyCipherProvider } from './key-cipher.provider';
import { WalletListingBuilder } from './listing/wallet-listing.builder';
import { MongooseWalletRepository } from './persistence/mongoose-wallet.repository';
import { WalletRepository } from './persistence/wallet.repository';
import { WalletDocument, WalletSchema } from './persistence/wallet.schema';
import { WalletSigner } from './signer/wallet-signer';
import { devnetFundingProvider, walletBalanceReaderProvider } from './tron/tron-adapters';
import { ImportWallet } from './use-cases/import-wallet';
import { ListWallets } from './use-cases/list-wallets';
import { ResolveWallet } from './use-cases/resolve-wallet';
import { RotateMasterKey } from './use-cases/rotate-master-key';
import { WalletsController } from './wallets.controller';

/**
 * Hot wallets: the registry, keys encrypted at rest, the signer, and the devnet bootstrap. Needs the global
 * config and database modules; balances and devnet funding come from the TRON module when it is loaded.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: WalletDocument.name, schema: WalletSchema }])],
  controllers: [WalletsController],
  providers: [
    keyCipherProvider,
    walletBalanceReaderProvider,
    devnetFundingProvider,
    { provide: WalletRepository, useClass: MongooseWalletRepository },
    WalletListingBuilder,
    WalletSigner,
    ImportWallet,
    ListWallets,
    ResolveWallet,
    RotateMasterKey,
    DevnetHotWalletBootstrap,
  ],
  exports: [WalletSigner, ResolveWallet, ListWallets, ImportWallet, RotateMasterKey],
})
export class WalletsModule {}
