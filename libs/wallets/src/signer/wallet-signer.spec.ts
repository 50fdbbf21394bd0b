import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { TronWeb, utils } from 'tronweb';

import { AppError, ErrorCode } from '@app/common';

import { unsignedTransfer } from '../../../../test/wallets/unsigned-transaction';
import { KeyCipher } from '../domain/key-cipher';
import { EncryptedKey, Wallet, WalletKeyRecord } from '../domain/wallet';
import { NewWallet, WalletRepository } from '../persistence/wallet.repository';
import { SigningKeyRecords } from './signing-key-records';
import { WalletSigner } from './wallet-signer';

/** Just enough registry for the signer: key records by address. */
class FakeWalletRepository extends WalletRepository {
  readonly records = new Map<string, WalletKeyRecord>();
  keyReads = 0;

  put(address: string, encryptedKey: EncryptedKey, disabled = false): void {
    this.records.set(address, { address, disabled, encryptedKey });
  }
  findKeyRecord(address: string): Promise<WalletKeyRecord | null> {
    this.keyReads += 1;
    return Promise.resolve(this.records.get(address) ?? null);
  }
  insert(_wallet: NewWallet): Promise<Wallet> {
    throw new Error('not used');
  }
  findByAddress(): Promise<Wallet | null> {
    throw new Error('not used');
  }
  findByLabel(): Promise<Wallet | null> {
    throw new Error('not used');
  }
  list(): Promise<Wallet[]> {
    throw new Error('not used');
  }
  findOldestEnabled(): Promise<Wallet | null> {
    throw new Error('not used');
  }
  count(): Promise<number> {
    throw new Error('not used');
  }
  findKeyRecordsNotUnder(): Promise<WalletKeyRecord[]> {
    throw new Error('not used');
  }
  replaceKey(): Promise<boolean> {
    throw new Error('not used');
  }
  writeControl(): Promise<boolean> {
    throw new Error('not used');
  }
}

describe('WalletSigner', () => {
  const cipher = new KeyCipher({ id: 'k1', key: randomBytes(32) });
  const payer = utils.accounts.generateAccount();
  const other = utils.accounts.generateAccount();
  const recipient = utils.accounts.generateAccount().address.base58;
  let repository: FakeWalletRepository;
  let signer: WalletSigner;
  let logged: string[];

  beforeEach(() => {
    repository = new FakeWalletRepository();
    repository.put(
      payer.address.base58,
      cipher.encrypt(Buffer.from(payer.privateKey, 'hex'), payer.address.base58),
    );
    signer = new WalletSigner(new SigningKeyRecords(repository, 0), cipher);
    logged = [];
    jest.spyOn(Logger.prototype, 'error').mockImplementation((message: unknown) => {
      logged.push(String(message));
    });
  });

  afterEach(() => jest.restoreAllMocks());

  it('signs offline with a signature that recovers to the wallet address, txID unchanged', async () => {
    const tx = unsignedTransfer(payer.address.base58, recipient);
    const signed = await signer.sign(payer.address.base58, tx);

    expect(signed.txID).toBe(tx.txID);
    expect(signed.raw_data_hex).toBe(tx.raw_data_hex);
    expect(signed.signature).toHaveLength(1);
    expect(utils.crypto.ecRecover(tx.txID, signed.signature[0]).toLowerCase()).toBe(
      payer.address.hex.toLowerCase(),
    );
    expect(tx).not.toHaveProperty('signature');
  });

  it("produces exactly TronWeb's own offline signature", async () => {
    const tx = unsignedTransfer(payer.address.base58, recipient);
    const tronWeb = new TronWeb({ fullHost: 'http://127.0.0.1:1' });
    const expected = await tronWeb.trx.sign(structuredClone(tx), payer.privateKey);
    const signed = await signer.sign(payer.address.base58, tx);
    expect(signed.signature).toEqual(expected.signature);
  });

  it('refuses a record whose key derives another address, and says nothing about the key', async () => {
    // A record moved onto another wallet fails the GCM check; this is the record re-encrypted "correctly"
    // for the payer's address but holding another account's key, e.g. a buggy import.
    repository.put(
      payer.address.base58,
      cipher.encrypt(Buffer.from(other.privateKey, 'hex'), payer.address.base58),
    );
    const error = await signer
      .sign(payer.address.base58, unsignedTransfer(payer.address.base58, recipient))
      .catch((err: unknown) => err);

    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe(ErrorCode.SIGNING_FAILED);
    expect((error as AppError).cause).toBeUndefined();
    const visible = `${(error as AppError).message} ${JSON.stringify((error as AppError).details)} ${logged.join(' ')}`;
    expect(visible).not.toContain(other.privateKey);
    expect(visible).not.toContain(payer.privateKey);
    expect(logged.join(' ')).toContain('does not derive the wallet address');
  });

  it('checks the key of a changed record again after signing with the earlier one', async () => {
    await signer.sign(payer.address.base58, unsignedTransfer(payer.address.base58, recipient));
    repository.put(
      payer.address.base58,
      cipher.encrypt(Buffer.from(other.privateKey, 'hex'), payer.address.base58),
    );
    await expect(
      signer.sign(payer.address.base58, unsignedTransfer(payer.address.base58, recipient)),
    ).rejects.toMatchObject({ code: ErrorCode.SIGNING_FAILED });
    expect(logged.join(' ')).toContain('does not derive the wallet address');
  });

  it('refuses a record tampered with in the database', async () => {
    const record = repository.records.get(payer.address.base58)!;
    const tag = Buffer.from(record.encryptedKey.tag, 'base64');
    tag[0] ^= 1;
    repository.put(payer.address.base58, { ...record.encryptedKey, tag: tag.toString('base64') });
    await expect(
      signer.sign(payer.address.base58, unsignedTransfer(payer.address.base58, recipient)),
    ).rejects.toMatchObject({
      code: ErrorCode.SIGNING_FAILED,
    });
  });

  it('refuses unknown and disabled wallets', async () => {
    const stranger = other.address.base58;
    await expect(signer.sign(stranger, unsignedTransfer(stranger, recipient))).rejects.toMatchObject({
      code: ErrorCode.SIGNING_FAILED,
    });
    repository.put(payer.address.base58, repository.records.get(payer.address.base58)!.encryptedKey, true);
    // A disabled wallet has its own code: its payouts wait for admins instead of failing.
    await expect(
      signer.sign(payer.address.base58, unsignedTransfer(payer.address.base58, recipient)),
    ).rejects.toMatchObject({
      code: ErrorCode.WALLET_DISABLED,
    });
  });

  it('reads a wallet once per interval for all its signatures, and a change made here at once', async () => {
    const keyRecords = new SigningKeyRecords(repository, 60_000);
    const holding = new WalletSigner(keyRecords, cipher);
    const payerAddress = payer.address.base58;
    await Promise.all(
      [1, 2, 3].map(() => holding.sign(payerAddress, unsignedTransfer(payerAddress, recipient))),
    );
    await holding.sign(payerAddress, unsignedTransfer(payerAddress, recipient));
    expect(repository.keyReads).toBe(1);
    repository.put(payerAddress, repository.records.get(payerAddress)!.encryptedKey, true);
    keyRecords.changed(payerAddress);
    await expect(holding.sign(payerAddress, unsignedTransfer(payerAddress, recipient))).rejects.toMatchObject(
      { code: ErrorCode.WALLET_DISABLED },
    );
    expect(repository.keyReads).toBe(2);
  });

  it('refuses a transaction whose txID is not the hash of its raw data, before reading any key', async () => {
    const tx = unsignedTransfer(payer.address.base58, recipient);
    const forged = { ...tx, txID: 'ab'.repeat(32) };
    await expect(signer.sign(payer.address.base58, forged)).rejects.toMatchObject({
      code: ErrorCode.SIGNING_FAILED,
    });
    expect(repository.keyReads).toBe(0);
  });

  it('refuses a transaction owned by another account', async () => {
    const tx = unsignedTransfer(other.address.base58, recipient);
    await expect(signer.sign(payer.address.base58, tx)).rejects.toMatchObject({
      code: ErrorCode.SIGNING_FAILED,
    });
    expect(logged.join(' ')).toContain('owned by another address');
  });

  it('zeroes the decrypted key after signing', async () => {
    const decrypted: Buffer[] = [];
    const decrypt = cipher.decrypt.bind(cipher);
    jest.spyOn(cipher, 'decrypt').mockImplementation((record, address) => {
      const key = decrypt(record, address);
      decrypted.push(key);
      return key;
    });
    await signer.sign(payer.address.base58, unsignedTransfer(payer.address.base58, recipient));
    expect(decrypted).toHaveLength(1);
    expect(decrypted[0].every((byte) => byte === 0)).toBe(true);
  });
});
