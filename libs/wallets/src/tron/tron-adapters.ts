import { FactoryProvider } from '@nestjs/common';

import { TronClient, TronNetwork } from '@app/tron';

import { DevnetFunding } from '../ports/devnet-funding';
import { WalletBalanceReader, WalletBalances } from '../ports/wallet-balance-reader';

/**
 * The only file of this lib that knows @app/tron. Both bindings are optional: when the global TronModule is
 * not loaded (the CLI without balances, a bare test module) they resolve to null, listings show null balances
 * and the devnet bootstrap does nothing, and no devnet is started just to list or import keys.
 */
class TronWalletBalanceReader extends WalletBalanceReader {
  constructor(private readonly client: TronClient) {
    super();
  }

  async balances(address: string): Promise<WalletBalances> {
    const { usdtRaw, trxSun } = await this.client.balancesAt(address);
    return { usdtRaw, trxSun };
  }
}

class TronDevnetFunding extends DevnetFunding {
  constructor(private readonly network: TronNetwork) {
    super();
  }

  /** Only a devnet started by this process can be funded; a devnet reached by URL is treated as a network. */
  get isDevnet(): boolean {
    return this.network.isDevnet && this.network.devnet !== undefined;
  }

  async fund(address: string, amounts: { trxSun: bigint; usdtRaw: bigint }): Promise<void> {
    if (!this.network.devnet) throw new Error('funding is only possible on the in-process devnet');
    await this.network.devnet.fund(address, amounts);
  }
}

export const walletBalanceReaderProvider: FactoryProvider<WalletBalanceReader | null> = {
  provide: WalletBalanceReader,
  inject: [{ token: TronClient, optional: true }],
  useFactory: (client?: TronClient) => (client ? new TronWalletBalanceReader(client) : null),
};

export const devnetFundingProvider: FactoryProvider<DevnetFunding | null> = {
  provide: DevnetFunding,
  inject: [{ token: TronNetwork, optional: true }],
  useFactory: (network?: TronNetwork) => (network ? new TronDevnetFunding(network) : null),
};
