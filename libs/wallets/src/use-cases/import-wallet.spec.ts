import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { utils } from 'tronweb';

import { AppError, ErrorCode } from '@app/common';

import { InMemoryWalletRepository } from '../../../../test/wallets/in-memory-wallet.repository';
import { KeyCipher } from '../domain/key-cipher';
import { WalletListingBuilder } from '../listing/wallet-listing.builder';
import { ImportWallet } from './import-wallet';
import { ResolveWallet } from './resolve-wallet';

describe('ImportWallet', () => {
  const cipher = new KeyCipher({ id: 'k1', key: randomBytes(32) });
  let repository: InMemoryWalletRepository;
  let importWallet: ImportWallet;
  let logs: string[];

  beforeEach(() => {
    repository = new InMemoryWalletRepository();
    importWallet = new ImportWallet(
      repository,
      cipher,
      new WalletListingBuilder(),
      new ResolveWallet(repository),
    );
    logs = [];
    const capture = (message: unknown) => {
      logs.push(String(message));
    };
    jest.spyOn(Logger.prototype, 'log').mockImplementation(capture);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(capture);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(capture);
  });
  afterEach(() => jest.restoreAllMocks());

  it('derives the address from the key, stores it encrypted and answers the listing without the key', async () => {
    const account = utils.accounts.generateAccount();
    const listing = await importWallet.execute({ privateKey: account.privateKey, label: 'payouts-1' });

    expect(listing).toEqual({
      address: account.address.base58,
      label: 'payouts-1',
      keyId: 'k1',
      disabled: false,
      disabledAt: null,
      disabledBy: null,
      disabledReason: null,
      enableVotes: [],
      createdAt: expect.any(String),
      usdt: null,
      usdtRaw: null,
      trxSun: null,
    });
    const stored = repository.rows[0];
    expect(JSON.stringify(stored)).not.toMatch(new RegExp(account.privateKey, 'i'));
    const decrypted = cipher.decrypt(stored.encryptedKey, account.address.base58);
    expect(decrypted.toString('hex')).toBe(account.privateKey.toLowerCase());
    expect(logs.join(' ')).not.toMatch(new RegExp(account.privateKey, 'i'));
  });

  it('refuses a key that is already registered, under any label, with USDT_ERR_601', async () => {
    const account = utils.accounts.generateAccount();
    await importWallet.execute({ privateKey: account.privateKey, label: 'a' });
    await expect(importWallet.execute({ privateKey: account.privateKey, label: 'b' })).rejects.toMatchObject({
      code: ErrorCode.WRITE_CONFLICT,
    });
  });

  it('refuses a label that is already taken with USDT_ERR_601', async () => {
    await importWallet.execute({ privateKey: utils.accounts.generateAccount().privateKey, label: 'a' });
    await expect(
      importWallet.execute({ privateKey: utils.accounts.generateAccount().privateKey, label: 'a' }),
    ).rejects.toMatchObject({ code: ErrorCode.WRITE_CONFLICT });
  });

  it('refuses an invalid key without quoting it', async () => {
    const bad = '00'.repeat(32);
    const error = (await importWallet
      .execute({ privateKey: bad, label: 'x' })
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain(bad);
  });

  it('refuses a private key pasted into the label', async () => {
    const key = utils.accounts.generateAccount().privateKey;
    const error = (await importWallet
      .execute({ privateKey: key, label: key })
      .catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe(ErrorCode.VALIDATION_FAILED);
    expect(JSON.stringify({ m: error.message, d: error.details })).not.toContain(key);
    expect(repository.rows).toHaveLength(0);
  });
});
