import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';

import { InMemoryWalletRepository } from '../../../../test/wallets/in-memory-wallet.repository';
import { KeyCipher } from '../domain/key-cipher';
import { WalletListingBuilder } from '../listing/wallet-listing.builder';
import { DevnetFunding } from '../ports/devnet-funding';
import { WalletBalanceReader, WalletBalances } from '../ports/wallet-balance-reader';
import { ImportWallet } from '../use-cases/import-wallet';
import { ListWallets } from '../use-cases/list-wallets';
import { ResolveWallet } from '../use-cases/resolve-wallet';
import {
  DEVNET_FUNDING_TRX_SUN,
  DEVNET_FUNDING_USDT_RAW,
  DevnetHotWalletBootstrap,
} from './devnet-hot-wallet.bootstrap';

class FakeDevnet extends DevnetFunding {
  readonly funded = new Map<string, bigint>();
  constructor(readonly isDevnet: boolean) {
    super();
  }
  fund(address: string, amounts: { trxSun: bigint; usdtRaw: bigint }): Promise<void> {
    this.funded.set(address, amounts.trxSun);
    return Promise.resolve();
  }
}

class DevnetBalances extends WalletBalanceReader {
  constructor(private readonly devnet: FakeDevnet) {
    super();
  }
  balances(address: string): Promise<WalletBalances> {
    return Promise.resolve({ usdtRaw: 0n, trxSun: this.devnet.funded.get(address) ?? 0n });
  }
}

describe('DevnetHotWalletBootstrap', () => {
  const cipher = new KeyCipher({ id: 'k1', key: randomBytes(32) });
  let repository: InMemoryWalletRepository;
  let logs: string[];

  function bootstrap(devnet: FakeDevnet | undefined): DevnetHotWalletBootstrap {
    const balances = devnet ? new DevnetBalances(devnet) : undefined;
    const listing = new WalletListingBuilder(balances);
    return new DevnetHotWalletBootstrap(
      new ListWallets(repository, listing),
      new ImportWallet(repository, cipher, listing, new ResolveWallet(repository)),
      new ResolveWallet(repository),
      devnet,
      balances,
    );
  }

  beforeEach(() => {
    repository = new InMemoryWalletRepository();
    logs = [];
    jest
      .spyOn(Logger.prototype, 'log')
      .mockImplementation((message: unknown) => void logs.push(String(message)));
  });
  afterEach(() => jest.restoreAllMocks());

  it('creates and funds a default wallet on an empty devnet registry, logging the address only', async () => {
    const devnet = new FakeDevnet(true);
    await bootstrap(devnet).onApplicationBootstrap();

    expect(repository.rows).toHaveLength(1);
    const wallet = repository.rows[0];
    expect(wallet.label).toBe('default');
    expect(devnet.funded.get(wallet.address)).toBe(DEVNET_FUNDING_TRX_SUN);
    expect(DEVNET_FUNDING_USDT_RAW).toBe(1_000_000_000_000n);
    expect(logs.join(' ')).toContain(wallet.address);
    const key = cipher.decrypt(wallet.encryptedKey, wallet.address).toString('hex');
    expect(logs.join(' ')).not.toContain(key);
  });

  it('keeps the existing wallet on the next start and funds it only when the chain was reset', async () => {
    const devnet = new FakeDevnet(true);
    await bootstrap(devnet).onApplicationBootstrap();
    const address = repository.rows[0].address;

    devnet.funded.clear();
    await bootstrap(devnet).onApplicationBootstrap();
    expect(repository.rows).toHaveLength(1);
    expect(devnet.funded.get(address)).toBe(DEVNET_FUNDING_TRX_SUN);

    const fundSpy = jest.spyOn(devnet, 'fund');
    await bootstrap(devnet).onApplicationBootstrap();
    expect(fundSpy).not.toHaveBeenCalled();
  });

  it('does nothing on a real network or without a TRON connection', async () => {
    await bootstrap(new FakeDevnet(false)).onApplicationBootstrap();
    await bootstrap(undefined).onApplicationBootstrap();
    expect(repository.rows).toHaveLength(0);
  });
});
