import { randomBytes } from 'node:crypto';
import { utils } from 'tronweb';

import { ErrorCode } from '@app/common';

import { InMemoryWalletRepository } from '../../../../test/wallets/in-memory-wallet.repository';
import { KeyCipher } from '../domain/key-cipher';
import { ResolveWallet } from './resolve-wallet';

describe('ResolveWallet', () => {
  const cipher = new KeyCipher({ id: 'k1', key: randomBytes(32) });
  let repository: InMemoryWalletRepository;
  let resolve: ResolveWallet;

  async function add(label: string): Promise<string> {
    const account = utils.accounts.generateAccount();
    const encryptedKey = cipher.encrypt(Buffer.from(account.privateKey, 'hex'), account.address.base58);
    await repository.insert({ address: account.address.base58, label, encryptedKey });
    return account.address.base58;
  }

  beforeEach(() => {
    repository = new InMemoryWalletRepository();
    resolve = new ResolveWallet(repository);
  });

  it('pays from the wallet labelled default, even when it is not the oldest', async () => {
    await add('older');
    const byDefault = await add('default');
    expect((await resolve.getDefault()).address).toBe(byDefault);
  });

  it('falls back to the oldest enabled wallet when there is no enabled default', async () => {
    await add('default');
    const oldest = await add('a');
    await add('b');
    repository.disable('default');
    expect((await resolve.getDefault()).address).toBe(oldest);
    expect(await resolve.hotWalletAddresses()).not.toContain(
      (await repository.findByLabel('default'))!.address,
    );
  });

  it('answers USDT_ERR_503 when no wallet can pay', async () => {
    await expect(resolve.getDefault()).rejects.toMatchObject({ code: ErrorCode.SIGNING_FAILED });
  });

  it('finds a wallet by address or by label, never a disabled one', async () => {
    const address = await add('payouts');
    expect((await resolve.get(address)).label).toBe('payouts');
    expect((await resolve.get('payouts')).address).toBe(address);
    repository.disable('payouts');
    await expect(resolve.get('payouts')).rejects.toMatchObject({ code: ErrorCode.WALLET_DISABLED });
    await expect(resolve.get('nope')).rejects.toMatchObject({ code: ErrorCode.SIGNING_FAILED });
  });

  it('answers isHotWallet for many destinations from one registry read, and reads again after an import here', async () => {
    const ours = await add('default');
    const list = jest.spyOn(repository, 'list');
    const outsider = utils.accounts.generateAccount().address.base58;
    const answers = await Promise.all([ours, outsider, ours, outsider].map((a) => resolve.isHotWallet(a)));
    expect(answers).toEqual([true, false, true, false]);
    expect(list).toHaveBeenCalledTimes(1);

    const imported = await add('second');
    resolve.addressesChanged();
    expect(await resolve.isHotWallet(imported)).toBe(true);
    expect(list).toHaveBeenCalledTimes(2);
  });
});
