import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { utils } from 'tronweb';

import { InMemoryWalletRepository } from '../../../../test/wallets/in-memory-wallet.repository';
import { KeyCipher } from '../domain/key-cipher';
import { SigningKeyRecords } from '../signer/signing-key-records';
import { RotateMasterKey } from './rotate-master-key';

describe('RotateMasterKey', () => {
  const k1 = { id: 'k1', key: randomBytes(32) };
  const k2 = { id: 'k2', key: randomBytes(32) };
  const accounts = Array.from({ length: 3 }, () => utils.accounts.generateAccount());
  let repository: InMemoryWalletRepository;

  beforeEach(async () => {
    jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined);
    repository = new InMemoryWalletRepository();
    const old = new KeyCipher(k1);
    for (const [i, account] of accounts.entries()) {
      const encryptedKey = old.encrypt(Buffer.from(account.privateKey, 'hex'), account.address.base58);
      await repository.insert({ address: account.address.base58, label: `w${i}`, encryptedKey });
    }
  });
  afterEach(() => jest.restoreAllMocks());

  it('re-encrypts every record under the current key, after which the old key is not needed', async () => {
    const result = await new RotateMasterKey(
      repository,
      new KeyCipher(k2, [k1]),
      new SigningKeyRecords(repository, 0),
    ).execute();
    expect(result).toEqual({ currentKeyId: 'k2', examined: 3, rotated: 3, skipped: 0, failed: [] });

    const onlyNew = new KeyCipher(k2);
    for (const account of accounts) {
      const row = repository.rows.find((r) => r.address === account.address.base58)!;
      expect(row.keyId).toBe('k2');
      expect(onlyNew.decrypt(row.encryptedKey, row.address).toString('hex')).toBe(
        account.privateKey.toLowerCase(),
      );
    }
  });

  it('does nothing the second time', async () => {
    const cipher = new KeyCipher(k2, [k1]);
    await new RotateMasterKey(repository, cipher, new SigningKeyRecords(repository, 0)).execute();
    expect(
      await new RotateMasterKey(repository, cipher, new SigningKeyRecords(repository, 0)).execute(),
    ).toMatchObject({
      examined: 0,
      rotated: 0,
    });
  });

  it('reports records whose master key is no longer configured and leaves them untouched', async () => {
    const before = repository.rows.map((r) => ({ ...r.encryptedKey }));
    const result = await new RotateMasterKey(
      repository,
      new KeyCipher(k2),
      new SigningKeyRecords(repository, 0),
    ).execute();
    expect(result.failed.sort()).toEqual(accounts.map((a) => a.address.base58).sort());
    expect(repository.rows.map((r) => r.encryptedKey)).toEqual(before);
  });
});
