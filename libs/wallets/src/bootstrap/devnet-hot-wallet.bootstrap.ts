import { Injectable, Logger, OnApplicationBootstrap, Optional } from '@nestjs/common';
import { utils } from 'tronweb';

import { AppError, ErrorCode } from '@app/common';

import { DEFAULT_WALLET_LABEL } from '../domain/wallet';
import { DevnetFunding } from '../ports/devnet-funding';
import { WalletBalanceReader } from '../ports/wallet-balance-reader';
import { ImportWallet } from '../use-cases/import-wallet';
import { ListWallets } from '../use-cases/list-wallets';
import { ResolveWallet } from '../use-cases/resolve-wallet';

/** 10,000 TRX: enough fee_limit headroom for thousands of devnet USDT transfers. */
export const DEVNET_FUNDING_TRX_SUN = 10_000n * 1_000_000n;
/** 1,000,000 USDT in base units. */
export const DEVNET_FUNDING_USDT_RAW = 1_000_000n * 1_000_000n;

/**
 * On the in-process devnet only: when no hot wallet is registered, creates one labelled `default` and funds
 * it, so `npm start` with nothing configured can pay out. On a real network it does nothing: keys there are
 * imported by an admin. Logs the address, never the key.
 */
@Injectable()
export class DevnetHotWalletBootstrap implements OnApplicationBootstrap {
  private readonly logger = new Logger(DevnetHotWalletBootstrap.name);

  constructor(
    private readonly listWallets: ListWallets,
    private readonly importWallet: ImportWallet,
    private readonly resolve: ResolveWallet,
    @Optional() private readonly devnet?: DevnetFunding,
    @Optional() private readonly balances?: WalletBalanceReader,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (!this.devnet?.isDevnet) return;
    const empty = (await this.listWallets.execute({ balances: false })).length === 0;
    const address = empty ? await this.create() : await this.existingDefault();
    if (!address || !(await this.needsFunds(address))) return;
    try {
      await this.devnet.fund(address, { trxSun: DEVNET_FUNDING_TRX_SUN, usdtRaw: DEVNET_FUNDING_USDT_RAW });
      this.logger.log(`devnet hot wallet ${address} funded with 10,000 TRX and 1,000,000 USDT`);
    } catch (err) {
      // The service is still useful unfunded (reads, listings); health reports the empty wallet.
      this.logger.error(
        `could not fund devnet hot wallet ${address}: ${(err as Error)?.message ?? String(err)}`,
      );
    }
  }

  private async create(): Promise<string | undefined> {
    const account = utils.accounts.generateAccount();
    try {
      const wallet = await this.importWallet.execute({
        privateKey: account.privateKey,
        label: DEFAULT_WALLET_LABEL,
      });
      this.logger.log(`devnet hot wallet created: ${wallet.address} (label "${DEFAULT_WALLET_LABEL}")`);
      return wallet.address;
    } catch (err) {
      // Another instance sharing the database created it first: use theirs.
      if (err instanceof AppError && err.code === ErrorCode.WRITE_CONFLICT) return this.existingDefault();
      throw err;
    } finally {
      // Best effort: JS strings cannot be zeroed, so drop the reference as soon as the key is encrypted.
      account.privateKey = '';
    }
  }

  /** The wallet that pays by default, whatever its label; undefined when every wallet is disabled. */
  private async existingDefault(): Promise<string | undefined> {
    try {
      return (await this.resolve.getDefault()).address;
    } catch (err) {
      if (err instanceof AppError && err.code === ErrorCode.SIGNING_FAILED) return undefined;
      throw err;
    }
  }

  /**
   * A wallet created on a previous run is funded again when the devnet chain was reset under it (its data
   * lives apart from the database). When balances cannot be read, assume a fresh chain and fund.
   */
  private async needsFunds(address: string): Promise<boolean> {
    if (!this.balances) return true;
    try {
      const { trxSun } = await this.balances.balances(address);
      return trxSun === 0n;
    } catch {
      return true;
    }
  }
}
