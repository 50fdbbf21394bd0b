import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';

import { DevnetHotWalletBootstrap } from './bootstrap/devnet-hot-wallet.bootstrap';
import { keyCipherProvider } from './key-cipher.provider';
import { WalletListingBuilder } from './listing/wallet-listing.builder';
import { MongooseWalletRepository } from './persistence/mongoose-wallet.repository';
import { WalletRepository } from './persistence/wallet.repository';
import { WalletDocument, WalletSchema } from './persistence/wallet.schema';
import { signingKeyRecordsProvider } from './signer/signing-key-records';
import { WalletSigner } from './signer/wallet-signer';
import { devnetFundingProvider, walletBalanceReaderProvider } from './tron/tron-adapters';
import { ImportWallet } from './use-cases/import-wallet';
import { ListWallets } from './use-cases/list-wallets';
import { ResolveWallet } from './use-cases/resolve-wallet';
import { RotateMasterKey } from './use-cases/rotate-master-key';
import { SwitchWallet } from './use-cases/switch-wallet';
import { WalletsController } from './wallets.controller';

const USE_CASES = [WalletSigner, ImportWallet, ListWallets, ResolveWallet, RotateMasterKey, SwitchWallet];

/**
 * The registry, the cipher, the signer and the use cases, with no HTTP routes and no start-up side effects:
 * what the CLI loads, so that listing or importing keys never creates or funds a devnet wallet.
 * Needs the global config and database modules; balances come from the TRON module when it is loaded.
 */
@Module({
  imports: [MongooseModule.forFeature([{ name: WalletDocument.name, schema: WalletSchema }])],
  providers: [
    keyCipherProvider,
    walletBalanceReaderProvider,
    devnetFundingProvider,
    { provide: WalletRepository, useClass: MongooseWalletRepository },
    signingKeyRecordsProvider,
    WalletListingBuilder,
    ...USE_CASES,
  ],
  // The ports are exported for the devnet bootstrap; the repository is not: other modules go through use cases.
  exports: [...USE_CASES, walletBalanceReaderProvider.provide, devnetFundingProvider.provide],
})
export class WalletsCoreModule {}

/**
 * Hot wallets in the service: the core plus the admin endpoints and, on the in-process devnet, the
 * bootstrap that creates and funds a default wallet so `npm start` can pay with nothing configured.
 */
@Module({
  imports: [WalletsCoreModule],
  controllers: [WalletsController],
  providers: [DevnetHotWalletBootstrap],
  exports: [WalletsCoreModule],
})
export class WalletsModule {}
