import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { utils } from 'tronweb';

import { InMemoryWalletRepository } from '../../../../test/wallets/in-memory-wallet.repository';
import { KeyCipher } from '../domain/key-cipher';
import { WalletListingBuilder } from '../listing/wallet-listing.builder';
import { WalletBalanceReader, WalletBalances } from '../ports/wallet-balance-reader';
import { ListWallets } from './list-wallets';

class FakeBalances extends WalletBalanceReader {
  readonly failing = new Set<string>();
  calls = 0;
  balances(address: string): Promise<WalletBalances> {
    this.calls += 1;
    if (this.failing.has(address)) return Promise.reject(new Error('node timeout'));
    return Promise.resolve({ usdtRaw: 1_250_500_000n, trxSun: 100_000_000n });
  }
}

describe('ListWallets', () => {
  const cipher = new KeyCipher({ id: 'k1', key: randomBytes(32) });
  let repository: InMemoryWalletRepository;
  let balances: FakeBalances;
  let list: ListWallets;
  const a = utils.accounts.generateAccount();
  const b = utils.accounts.generateAccount();

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    repository = new InMemoryWalletRepository();
    for (const [account, label] of [
      [a, 'first'],
      [b, 'second'],
    ] as const) {
      const encryptedKey = cipher.encrypt(Buffer.from(account.privateKey, 'hex'), account.address.base58);
      await repository.insert({ address: account.address.base58, label, encryptedKey });
    }
    balances = new FakeBalances();
    list = new ListWallets(repository, new WalletListingBuilder(balances));
  });
  afterEach(() => jest.restoreAllMocks());

  it('lists oldest first with balances as decimal strings and no key material', async () => {
    const listings = await list.execute();
    expect(listings.map((w) => w.label)).toEqual(['first', 'second']);
    expect(listings[0]).toMatchObject({
      usdt: '1250.5',
      usdtRaw: '1250500000',
      trxSun: '100000000',
      keyId: 'k1',
    });
    const text = JSON.stringify(listings);
    for (const row of repository.rows) {
      expect(text).not.toContain(row.encryptedKey.ciphertext);
      expect(text).not.toContain(row.encryptedKey.nonce);
    }
    expect(Object.keys(listings[0]).sort()).toEqual(
      [
        'address',
        'createdAt',
        'disabled',
        'disabledAt',
        'disabledBy',
        'disabledReason',
        'enableVotes',
        'keyId',
        'label',
        'trxSun',
        'usdt',
        'usdtRaw',
      ].sort(),
    );
  });

  it('shows null balances for a wallet the node could not answer for, and still lists the others', async () => {
    balances.failing.add(a.address.base58);
    const [first, second] = await list.execute();
    expect(first).toMatchObject({ address: a.address.base58, usdt: null, usdtRaw: null, trxSun: null });
    expect(second).toMatchObject({ address: b.address.base58, usdt: '1250.5' });
  });

  it('does not ask the node when balances are not wanted', async () => {
    const listings = await list.execute({ balances: false });
    expect(balances.calls).toBe(0);
    expect(listings.every((w) => w.usdt === null)).toBe(true);
  });
});
